package io.tributary.poller.outbound;

import io.tributary.model.ChangeEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.poller.capture.*}: capture of the application's changes to two-way entities (decision 0024).
 *
 * @param enabled           off by default: only a deployment with two-way entities captures
 * @param dialect           the main database: {@code sqlite} (the writer's triggers fill a changelog table) or
 *                          {@code postgresql} (Debezium reads the WAL)
 * @param path              SQLite: the main database file, the writer's {@code tributary.writer.database.path}
 * @param url               PostgreSQL: {@code jdbc:postgresql://host[:port]/database}, the writer's database
 * @param username          PostgreSQL: a role with REPLICATION and SELECT on the tables
 * @param password          PostgreSQL: its password; never logged
 * @param entities          the statically two-way entities (the writer's entities marked {@code two-way: true});
 *                          their outbound topics are created at start. The entities of two-way definitions on the
 *                          config topic are captured too (decision 0030); empty is fine when that topic is followed
 * @param pollInterval      SQLite: the pause after the changelog was read to its end; PostgreSQL: how often a
 *                          two-way table that is not ready yet (missing, or not {@code REPLICA IDENTITY FULL}) is
 *                          looked at again
 * @param batchSize         SQLite: changelog rows per read, publish and checkpoint (and per purge statement)
 * @param busyTimeout       SQLite: how long a read or purge waits for the writer's lock
 * @param retryBackoff      the pause before a failed capture (broker or database down) starts again from its
 *                          stored position
 * @param slotName          PostgreSQL: the replication slot and publication of the capture
 * @param heartbeatInterval PostgreSQL: how often the position moves while the tables are quiet (lets PostgreSQL
 *                          release WAL); 0 = off
 */
@ConfigurationProperties("tributary.poller.capture")
public record CaptureProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue(SQLITE) String dialect,
        @Nullable Path path,
        @Nullable String url,
        @DefaultValue("") String username,
        @DefaultValue("") String password,
        @DefaultValue List<String> entities,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("5s") Duration busyTimeout,
        @DefaultValue("5s") Duration retryBackoff,
        @DefaultValue("tributary_capture") String slotName,
        @DefaultValue("10s") Duration heartbeatInterval) {

    static final String SQLITE = "sqlite";
    static final String POSTGRESQL = "postgresql";
    private static final String PREFIX = "tributary.poller.capture.";
    private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^/?]+)(\\?.*)?");
    private static final Pattern SLOT = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    public CaptureProperties {
        entities = List.copyOf(entities);
        if (enabled) {
            validate(dialect, path, url, username, entities, batchSize, slotName);
        }
        requirePositive(pollInterval, "poll-interval");
        requirePositive(busyTimeout, "busy-timeout");
        requirePositive(retryBackoff, "retry-backoff");
        if (heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException(PREFIX + "heartbeat-interval must be >= 0 (0 = off), was "
                    + heartbeatInterval);
        }
    }

    private static void validate(String dialect, @Nullable Path path, @Nullable String url, String username,
            List<String> entities, int batchSize, String slotName) {
        if (!dialect.equals(SQLITE) && !dialect.equals(POSTGRESQL)) {
            throw new IllegalArgumentException(PREFIX + "dialect must be sqlite or postgresql, was '" + dialect + "'");
        }
        if (dialect.equals(SQLITE) && (path == null || path.toString().isBlank())) {
            throw new IllegalArgumentException(PREFIX + "path (the SQLite main database file) is required with"
                    + " dialect sqlite");
        }
        if (dialect.equals(POSTGRESQL) && (url == null || !POSTGRES_URL.matcher(url).matches())) {
            throw new IllegalArgumentException(PREFIX + "url must be jdbc:postgresql://host[:port]/database with"
                    + " dialect postgresql, was " + (url == null ? "not set" : "'" + redact(url) + "'"));
        }
        if (dialect.equals(POSTGRESQL) && username.isBlank()) {
            throw new IllegalArgumentException(PREFIX + "username is required with dialect postgresql");
        }
        if (new HashSet<>(entities).size() != entities.size()) {
            throw new IllegalArgumentException(PREFIX + "entities must not repeat a name, was " + entities);
        }
        for (String entity : entities) {
            if (!ChangeEvent.ENTITY_PATTERN.matcher(entity).matches()) {
                throw new IllegalArgumentException(PREFIX + "entities: '" + entity + "' must match "
                        + ChangeEvent.ENTITY_PATTERN);
            }
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException(PREFIX + "batch-size must be between 1 and 100000, was " + batchSize);
        }
        if (!SLOT.matcher(slotName).matches()) {
            throw new IllegalArgumentException(PREFIX + "slot-name must match " + SLOT + ", was '" + slotName + "'");
        }
    }

    /**
     * Fails the start when nothing could ever be captured: no static entities, and the config topic (the two-way
     * definitions) not followed.
     */
    void requireSomethingToCapture(boolean followsDefinitions) {
        if (enabled && entities.isEmpty() && !followsDefinitions) {
            throw new IllegalArgumentException(PREFIX + "entities must name the two-way entities (those marked"
                    + " two-way: true in tributary.writer.entities), or tributary.poller.config-topic.enabled=true must"
                    + " let the two-way definitions stored through the admin API say them");
        }
    }

    /** PostgreSQL: host, port and database of {@link #url}. */
    String[] hostPortDatabase() {
        Matcher matcher = POSTGRES_URL.matcher(url == null ? "" : url);
        if (!matcher.matches()) {
            throw new IllegalStateException("not a PostgreSQL capture");
        }
        return new String[] {matcher.group(1), matcher.group(2) == null ? "5432" : matcher.group(2), matcher.group(3)};
    }

    private static void requirePositive(Duration value, String property) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(PREFIX + property + " must be positive, was " + value);
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1******");
    }

    /** Every setting of the chosen dialect; the password masked. */
    @Override
    public String toString() {
        String where = dialect.equals(POSTGRESQL)
                ? "url=" + (url == null ? null : redact(url)) + ", username=" + username + ", password="
                        + (password.isEmpty() ? "(none)" : "****") + ", slotName=" + slotName + ", heartbeatInterval="
                        + heartbeatInterval
                : "path=" + path + ", pollInterval=" + pollInterval + ", batchSize=" + batchSize + ", busyTimeout="
                        + busyTimeout;
        return "CaptureProperties[enabled=" + enabled + ", dialect=" + dialect + ", " + where + ", entities=" + entities
                + ", retryBackoff=" + retryBackoff + "]";
    }
}
