package io.tributary.poller.rest.definition;

import io.tributary.definition.RateLimit;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A definition's rate limit as a reserving token bucket shared by every entity of one source: each request
 * reserves a token and is told how long to wait for it (zero while the burst lasts), so requests are
 * delayed in the order they asked, never refused. Thread-safe. (Decision 0019: ~30 lines rather than a
 * Resilience4j dependency for one use.)
 */
final class TokenBucket {

    private final double tokensPerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long updatedAt;

    TokenBucket(RateLimit limit, LongSupplier nanoTime) {
        this.tokensPerNano = limit.requestsPerSecond() / 1e9;
        this.burst = Math.max(1, limit.burst());
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.updatedAt = nanoTime.getAsLong();
    }

    /** Takes a token (possibly one not yet refilled) and says how long to wait before using it. */
    synchronized Duration reserve() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - updatedAt) * tokensPerNano);
        updatedAt = now;
        tokens -= 1;
        return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / tokensPerNano));
    }
}
