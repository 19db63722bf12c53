package io.tributary.ingest.receive;

import io.tributary.model.ChangeEvent;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The webhook receiver's configuration, {@code tributary.ingest.*}. Secrets never appear in
 * {@link #toString()} (it is logged at start).
 *
 * @param sources         the sources that may push to {@code /webhooks/{id}}
 * @param maxBodySize     larger bodies are answered 413 without being read to the end
 * @param deliveryTimeout how long Kafka may take to acknowledge one event before the sender gets 503
 * @param retryAfter      the {@code Retry-After} sent with a 503
 * @param dedup           the delivery-id memory
 * @param logEvery        one INFO line per this many accepted webhooks
 * @param topics          how the change and refresh topics are created at start
 */
@ConfigurationProperties("tributary.ingest")
@Validated
public record IngestProperties(
        @DefaultValue List<@Valid Source> sources,
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue("5s") Duration deliveryTimeout,
        @DefaultValue("5s") Duration retryAfter,
        @DefaultValue @Valid Dedup dedup,
        @DefaultValue("1000") @Min(1) int logEvery,
        @DefaultValue @Valid Topics topics) {

    public IngestProperties {
        sources = List.copyOf(sources);
        Set<String> ids = new HashSet<>();
        for (Source source : sources) {
            if (!ids.add(source.id())) {
                throw new IllegalArgumentException("tributary.ingest.sources: source id '" + source.id()
                        + "' is configured twice");
            }
            if (dedup.ttl().compareTo(source.tolerance()) < 0) {
                throw new IllegalArgumentException("tributary.ingest.dedup.ttl (" + dedup.ttl() + ") must be >= the"
                        + " tolerance of source " + source.id() + " (" + source.tolerance() + "): a replay inside the"
                        + " tolerance must still be recognised");
            }
        }
        if (maxBodySize.toBytes() < 1024 || maxBodySize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tributary.ingest.max-body-size must be between 1KB and 2GB, was " + maxBodySize);
        }
        if (deliveryTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("tributary.ingest.delivery-timeout must be >= 1s, was " + deliveryTimeout);
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("tributary.ingest.retry-after must not be negative, was " + retryAfter);
        }
    }

    /**
     * One source that pushes webhooks.
     *
     * @param id        the source id (the path segment, the key prefix of its events), e.g. {@code forum-sim}
     * @param scheme    the signature scheme: {@code standard-webhooks}, {@code github} or {@code stripe}
     * @param secrets   1 or 2 active secrets (2 while rotating); never logged
     * @param tolerance how far a signed timestamp may be from now (replay protection)
     * @param entities  event type prefix → entity, e.g. {@code message → messages}; default: the forum's four
     */
    public record Source(
            String id,
            @DefaultValue("standard-webhooks") String scheme,
            @DefaultValue List<String> secrets,
            @DefaultValue("5m") Duration tolerance,
            @DefaultValue Map<String, String> entities) {

        static final Map<String, String> FORUM_ENTITIES = Map.of(
                "user", "users", "section", "sections", "topic", "topics", "message", "messages");

        public Source {
            if (id == null || !ChangeEvent.SOURCE_ID_PATTERN.matcher(id).matches()) {
                throw new IllegalArgumentException("tributary.ingest.sources[].id '" + id + "' must match "
                        + ChangeEvent.SOURCE_ID_PATTERN);
            }
            secrets = List.copyOf(secrets);
            if (secrets.isEmpty() || secrets.size() > 2 || secrets.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("tributary.ingest.sources[" + id + "].secrets must hold 1 or 2"
                        + " non-blank secrets (2 while rotating), has " + secrets.size());
            }
            if (tolerance.isNegative() || tolerance.isZero()) {
                throw new IllegalArgumentException("tributary.ingest.sources[" + id + "].tolerance must be positive, was "
                        + tolerance);
            }
            entities = Map.copyOf(entities.isEmpty() ? FORUM_ENTITIES : new LinkedHashMap<>(entities));
            for (String entity : entities.values()) {
                if (!ChangeEvent.ENTITY_PATTERN.matcher(entity).matches()) {
                    throw new IllegalArgumentException("tributary.ingest.sources[" + id + "].entities: '" + entity
                            + "' must match " + ChangeEvent.ENTITY_PATTERN);
                }
            }
        }

        @Override
        public String toString() {
            return "Source[id=" + id + ", scheme=" + scheme + ", secrets=" + secrets.size() + " (masked), tolerance="
                    + tolerance + ", entities=" + entities + "]";
        }
    }

    /**
     * @param maxSize delivery ids remembered (oldest evicted first)
     * @param ttl     how long one is remembered; at least every source's tolerance
     */
    public record Dedup(@DefaultValue("200000") @Min(1) long maxSize, @DefaultValue("15m") Duration ttl) {
    }

    /**
     * @param partitions        partitions of each topic created at start
     * @param replicationFactor replicas of each created topic; -1 = the broker's default
     */
    public record Topics(@DefaultValue("3") @Min(1) @Max(1000) int partitions,
                         @DefaultValue("-1") short replicationFactor) {
    }
}
