package io.tributary.writer.consume;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Kafka consumer of change events. The broker address and client settings such as security come from
 * Spring Boot's {@code spring.kafka.*}; these are the writer's own tunables.
 *
 * @param groupId         consumer group; the committed offsets are the writer's position
 * @param maxPollRecords  {@code max.poll.records}: the largest batch applied in one transaction
 * @param fetchMaxWait    {@code fetch.max.wait.ms}: how long the broker may wait to fill a fetch
 * @param maxPollInterval {@code max.poll.interval.ms}: longest time between polls before a rebalance
 * @param pollTimeout     how long one poll blocks when there is nothing to read
 * @param retry           backoff for transient failures (database busy, I/O)
 */
@ConfigurationProperties("tributary.writer.consumer")
@Validated
public record WriterConsumerProperties(
        @DefaultValue("tributary-writer") @NotBlank String groupId,
        @DefaultValue("5000") @Min(1) @Max(100_000) int maxPollRecords,
        @DefaultValue("500ms") @NotNull Duration fetchMaxWait,
        @DefaultValue("5m") @NotNull Duration maxPollInterval,
        @DefaultValue("1s") @NotNull Duration pollTimeout,
        @DefaultValue @Valid @NotNull Retry retry) {

    public WriterConsumerProperties {
        if (retry != null && maxPollInterval != null && retry.maxInterval().compareTo(maxPollInterval) >= 0) {
            throw new IllegalArgumentException("tributary.writer.consumer.retry.max-interval (" + retry.maxInterval()
                    + ") must be shorter than tributary.writer.consumer.max-poll-interval (" + maxPollInterval + ")");
        }
    }

    /**
     * Exponential backoff between attempts at a batch that failed transiently. When {@code maxElapsed} has
     * passed, the batch's records are dead-lettered (replaying them later is safe: every write is idempotent).
     *
     * @param initialInterval first wait
     * @param multiplier      growth per attempt
     * @param maxInterval     longest single wait
     * @param maxElapsed      give up after this long in total
     */
    public record Retry(
            @DefaultValue("200ms") @NotNull Duration initialInterval,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
            @DefaultValue("10s") @NotNull Duration maxInterval,
            @DefaultValue("2m") @NotNull Duration maxElapsed) {

        public Retry {
            if (initialInterval != null && maxInterval != null && initialInterval.compareTo(maxInterval) > 0) {
                throw new IllegalArgumentException("tributary.writer.consumer.retry.initial-interval ("
                        + initialInterval + ") must not exceed tributary.writer.consumer.retry.max-interval ("
                        + maxInterval + ")");
            }
        }
    }
}
