package io.tributary.poller.cdc;

import io.tributary.model.spi.SourcePartition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of one {@code cdc} source, bound from its {@code tributary.poller.sources[i]} node.
 *
 * @param host              the PostgreSQL server (required)
 * @param port              its port
 * @param database          the database to capture (required)
 * @param user              a role with REPLICATION and SELECT on the tables (required; see docs/operations.md)
 * @param password          its password; never logged (empty = none, e.g. trust authentication)
 * @param tables            per entity of the source, the table it is captured from; an entity without an entry
 *                          reads table {@code public.<entity>} keyed by {@code id}
 * @param snapshotMode      Debezium's {@code snapshot.mode}: {@code initial} (snapshot once, then stream) or
 *                          {@code no_data} (stream only)
 * @param heartbeatInterval how often the engine emits a heartbeat, which moves the cursor (and lets PostgreSQL
 *                          release WAL) while the captured tables are quiet; 0 = off
 * @param pollTimeout       how long one poll waits for changes before the pass reports "caught up"
 * @param debezium          further Debezium connector/engine properties, passed as given (they win), e.g.
 *                          {@code debezium[publication.autocreate.mode]=disabled}
 */
record CdcProperties(
        @Nullable String host,
        @DefaultValue("5432") int port,
        @Nullable String database,
        @Nullable String user,
        @DefaultValue("") String password,
        @DefaultValue Map<String, Table> tables,
        @DefaultValue("initial") String snapshotMode,
        @DefaultValue("10s") Duration heartbeatInterval,
        @DefaultValue("500ms") Duration pollTimeout,
        @DefaultValue Map<String, String> debezium) {

    private static final Set<String> SNAPSHOT_MODES = Set.of("initial", "no_data");
    /** PostgreSQL's limit for slot and publication names (NAMEDATALEN - 1). */
    private static final int MAX_NAME_LENGTH = 63;

    CdcProperties {
        requireText(host, "host");
        requireText(database, "database");
        requireText(user, "user");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
        tables = Map.copyOf(tables);
        if (!SNAPSHOT_MODES.contains(snapshotMode)) {
            throw new IllegalArgumentException("snapshot-mode must be one of " + SNAPSHOT_MODES + ", was " + snapshotMode);
        }
        if (heartbeatInterval.isNegative()) {
            throw new IllegalArgumentException("heartbeat-interval must be >= 0 (0 = off), was " + heartbeatInterval);
        }
        if (pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("poll-timeout must be positive, was " + pollTimeout);
        }
        debezium = Map.copyOf(debezium);
    }

    /**
     * Where one entity is captured from.
     *
     * @param name      the table, {@code schema.table}; empty = {@code public.<entity>}
     * @param keyColumn the column holding the external id (the primary key, or REPLICA IDENTITY FULL)
     * @param columns   payload field → column; empty = every column but the key, under its own name
     */
    record Table(@DefaultValue("") String name, @DefaultValue("id") String keyColumn,
            @DefaultValue Map<String, String> columns) {

        private static final Pattern QUALIFIED = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*\\.[A-Za-z_][A-Za-z0-9_$]*");

        Table {
            if (!name.isEmpty() && !QUALIFIED.matcher(name).matches()) {
                throw new IllegalArgumentException("tables.*.name must be schema.table, was '" + name + "'");
            }
            requireText(keyColumn, "tables.*.key-column");
            columns = Map.copyOf(columns);
        }

        String qualifiedName(String entity) {
            return name.isEmpty() ? "public." + entity : name;
        }
    }

    Table table(String entity) {
        return tables.getOrDefault(entity, new Table("", "id", Map.of()));
    }

    /** The source database's JDBC URL (the task reads the WAL position and manages its slot through it). */
    String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The engine's name: the namespace of its offsets. */
    static String engineName(SourcePartition partition) {
        return "tributary-" + partition.sourceId() + "-" + partition.entity();
    }

    /** The replication slot and publication of one partition: lower-case, [a-z0-9_], at most 63 characters. */
    static String slotName(SourcePartition partition) {
        String name = ("tributary_" + partition.sourceId() + "_" + partition.entity()).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
    }

    /** The Debezium engine's configuration for one partition; offsets come from {@link CursorOffsetStore}. */
    Properties engineProperties(SourcePartition partition) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("name", engineName(partition));
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("offset.storage", CursorOffsetStore.class.getName());
        // Offsets reach the store (and the slot's confirmed LSN reaches PostgreSQL) only for records the task
        // marked processed, i.e. after their checkpoint is durable: flushing often just releases WAL sooner.
        config.put("offset.flush.interval.ms", "1000");
        // Unique per engine: it names the connector's JMX metrics, and engines sharing a name wait a minute
        // for each other's registrations (several entities of one source run side by side in one JVM).
        config.put("topic.prefix", engineName(partition));
        config.put("database.hostname", host);
        config.put("database.port", Integer.toString(port));
        config.put("database.dbname", database);
        config.put("database.user", user);
        config.put("database.password", password);
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", slotName(partition));
        config.put("publication.name", slotName(partition));
        config.put("publication.autocreate.mode", "filtered");
        // A regular expression: the dot is escaped so that it matches only itself.
        config.put("table.include.list", table(partition.entity()).qualifiedName(partition.entity()).replace(".", "\\."));
        config.put("snapshot.mode", snapshotMode);
        config.put("heartbeat.interval.ms", Long.toString(heartbeatInterval.toMillis()));
        config.put("tombstones.on.delete", "false");
        config.put("decimal.handling.mode", "string");
        config.putAll(debezium);
        Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }

    /** Every field but the password. */
    @Override
    public String toString() {
        return "CdcProperties[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=" + (password.isEmpty() ? "(none)" : "****") + ", tables=" + tables + ", snapshotMode="
                + snapshotMode + ", heartbeatInterval=" + heartbeatInterval + ", pollTimeout=" + pollTimeout
                + ", debezium=" + debezium.keySet() + "]";
    }

    private static void requireText(@Nullable String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(property + " is required");
        }
    }
}
