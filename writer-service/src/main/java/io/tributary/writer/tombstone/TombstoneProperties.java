package io.tributary.writer.tombstone;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Tombstone retention (docs/decisions/0011). A tombstone is what makes a delete final: while it exists, a
 * replayed or late upsert of the deleted record is refused. Once purged, such an upsert would create the
 * record again, so the retention must exceed the change topics' retention plus the longest delay of an
 * event (a webhook retried for hours, a consumer group stopped for days).
 *
 * @param retention how long a tombstone is kept after the delete was applied; at least 1 minute
 * @param purgeInterval how often the purge runs; at least 1 second
 * @param batchSize the most rows one purge transaction removes (short transactions, short locks); 1..100,000
 */
@ConfigurationProperties("tributary.writer.tombstones")
@Validated
public record TombstoneProperties(
        @DefaultValue("7d") @NotNull Duration retention,
        @DefaultValue("1h") @NotNull Duration purgeInterval,
        @DefaultValue("1000") int batchSize) {

    public TombstoneProperties {
        if (retention != null && retention.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("tributary.writer.tombstones.retention must be at least 1m, was "
                    + retention);
        }
        if (purgeInterval != null && purgeInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("tributary.writer.tombstones.purge-interval must be at least 1s, was "
                    + purgeInterval);
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("tributary.writer.tombstones.batch-size must be in 1..100000, was "
                    + batchSize);
        }
    }
}
