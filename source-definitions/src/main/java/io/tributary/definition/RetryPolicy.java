package io.tributary.definition;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Transient failures (network errors and the listed statuses) are retried with exponential backoff from
 * {@code initialBackoff} to {@code maxBackoff}, at most {@code maxAttempts} attempts per request; a
 * {@code Retry-After} header is honoured when {@code respectRetryAfter}.
 */
public record RetryPolicy(Integer maxAttempts, Duration initialBackoff, Duration maxBackoff, List<Integer> retryOn,
        Boolean respectRetryAfter) {

    public RetryPolicy {
        maxAttempts = Objects.requireNonNullElse(maxAttempts, 6);
        initialBackoff = Objects.requireNonNullElse(initialBackoff, Duration.ofMillis(200));
        maxBackoff = Objects.requireNonNullElse(maxBackoff, Duration.ofSeconds(30));
        retryOn = List.copyOf(Objects.requireNonNullElse(retryOn, List.of(429, 500, 502, 503, 504)));
        respectRetryAfter = Objects.requireNonNullElse(respectRetryAfter, true);
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(null, null, null, null, null);
    }
}
