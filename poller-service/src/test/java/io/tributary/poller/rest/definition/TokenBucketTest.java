package io.tributary.poller.rest.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.definition.RateLimit;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rate limit on a hand-driven clock: the burst goes at once, then one request per 1/rate, waits queued. */
class TokenBucketTest {

    @Test
    void burstThenSpacedReservations() {
        AtomicLong nanos = new AtomicLong(1_000);
        TokenBucket bucket = new TokenBucket(new RateLimit(4.0, 2), nanos::get);
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(250));
        assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(500)); // queued behind the one before
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());               // idle: refills to the burst only
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isEqualTo(Duration.ofMillis(250));
    }
}
