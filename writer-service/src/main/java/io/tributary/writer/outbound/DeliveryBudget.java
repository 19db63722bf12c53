package io.tributary.writer.outbound;

import io.tributary.definition.RetryPolicy;
import java.time.Duration;
import java.util.Collection;

/**
 * The longest the delivery of one local change can keep the outbound consumer from polling, from the settings that
 * bound it, and the consumer settings derived from it, so that a change never makes the consumer exceed
 * {@code max.poll.interval.ms} (decision 0025):
 * <ul>
 *   <li>a change makes at most {@value #CALLS_PER_CHANGE} calls (an update or a delete under a policy that reads
 *       first: the conflict check's GET, then the write; a create makes one);</li>
 *   <li>a call makes at most {@code retry.maxAttempts} attempts of at most {@code request-timeout} each
 *       ({@link SourceClient}); between two it waits the exponential backoff from {@code retry.initialBackoff},
 *       capped at {@code retry.maxBackoff}, or the source's {@code Retry-After} when {@code retry.respectRetryAfter}
 *       (capped at {@code retry.maxBackoff} too);</li>
 *   <li>the consumer takes one record per poll ({@code max.poll.records} 1), so between two polls there is one change
 *       and, after a failed one, the error handler's back-off on the consumer thread (at most
 *       {@code redelivery.max-interval});</li>
 *   <li>{@link #MARGIN} covers the rest: the main database's reads and writes, the offset commit.</li>
 * </ul>
 *
 * @param perChange the longest one change takes, over every source delivered
 */
record DeliveryBudget(Duration perChange) {

    static final int CALLS_PER_CHANGE = 2;
    static final Duration MARGIN = Duration.ofMinutes(1);

    /** Over the retry policies of every delivered source; none: nothing is delivered, nothing to wait for. */
    static DeliveryBudget of(Collection<RetryPolicy> policies, Duration requestTimeout) {
        Duration longest = policies.stream().map(policy -> perCall(policy, requestTimeout)).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        return new DeliveryBudget(longest.multipliedBy(CALLS_PER_CHANGE));
    }

    /** Over the sources {@code routes} deliver. */
    static DeliveryBudget of(DeliveryRoutes routes, Duration requestTimeout) {
        return of(routes.targets().values().stream().map(target -> target.source().retry()).toList(), requestTimeout);
    }

    /** The longest one call takes: every attempt timing out, and the longest wait between two. */
    static Duration perCall(RetryPolicy retry, Duration requestTimeout) {
        int attempts = Math.max(1, retry.maxAttempts());
        Duration waits = Duration.ZERO;
        for (int retries = 0; retries < attempts - 1; retries++) {
            waits = waits.plus(retry.respectRetryAfter() ? retry.maxBackoff() : SourceClient.backoff(retry, retries));
        }
        return requestTimeout.multipliedBy(attempts).plus(waits);
    }

    /**
     * {@code max.poll.interval.ms} for the outbound consumer: {@code configured} (the client setting, Kafka's default
     * 5 minutes unless {@code spring.kafka.consumer.properties} says otherwise) when it is longer, else one change,
     * the longest redelivery back-off and the margin.
     */
    Duration maxPollInterval(Duration configured, Duration redeliveryMaxInterval) {
        Duration needed = perChange.plus(redeliveryMaxInterval).plus(MARGIN);
        return needed.compareTo(configured) > 0 ? needed : configured;
    }

    /** How long a stop waits for the change in flight (the back-off sleep ends at a stop). */
    Duration shutdownTimeout() {
        return perChange.plus(MARGIN);
    }

    /** Whether a consumer derived from this budget is fit for changes that take up to {@code other}'s. */
    boolean covers(DeliveryBudget other) {
        return perChange.compareTo(other.perChange) >= 0;
    }
}
