package io.tributary.definition;

import java.util.Objects;

/** The most requests per second sent to the source, with a burst allowance (a token bucket). */
public record RateLimit(Double requestsPerSecond, Integer burst) {

    public RateLimit {
        Objects.requireNonNull(requestsPerSecond, "requestsPerSecond");
        burst = Objects.requireNonNullElse(burst, (int) Math.max(1, Math.ceil(requestsPerSecond)));
    }
}
