package io.tributary.poller.refresh;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The refresh-request consumer, {@code tributary.poller.refresh.*}.
 *
 * @param enabled     consume {@code tributary.refresh.requests} at all
 * @param groupId     the consumer group (one per poller deployment)
 * @param concurrency consumer threads (each serves its partitions one request at a time)
 * @param attempts    deliveries of one request before it is skipped (each one already retries its GET)
 * @param backoff     pause between two deliveries of a failing request
 */
@ConfigurationProperties("tributary.poller.refresh")
@Validated
record RefreshProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("tributary-poller-refresh") @NotBlank String groupId,
        @DefaultValue("2") @Min(1) @Max(32) int concurrency,
        @DefaultValue("3") @Min(1) int attempts,
        @DefaultValue("1s") Duration backoff) {

    RefreshProperties {
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("tributary.poller.refresh.backoff must not be negative, was " + backoff);
        }
    }
}
