package io.tributary.writer.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.definition.RetryPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worst case of one local change's delivery, and the consumer settings derived from it (decision 0025). */
class DeliveryBudgetTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void withTheDefaultsOneCallTakesUpToSixTimeoutsAndFiveCappedRetryAfters() {
        // 6 attempts × 30 s, and between two a Retry-After capped at maxBackoff (30 s)
        assertThat(DeliveryBudget.perCall(RetryPolicy.defaults(), REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(330));
    }

    @Test
    void withoutRetryAfterTheWaitsAreTheExponentialBackoffCappedAtMaxBackoff() {
        RetryPolicy noRetryAfter = new RetryPolicy(null, null, null, null, false);
        // 6 × 30 s + 0.2 + 0.4 + 0.8 + 1.6 + 3.2 s: the audit's 186 s
        assertThat(DeliveryBudget.perCall(noRetryAfter, REQUEST_TIMEOUT)).isEqualTo(Duration.ofMillis(186_200));
        RetryPolicy capped = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(3), null, false);
        // 5 × 30 s + 1 + 2 + 3 + 3 s
        assertThat(DeliveryBudget.perCall(capped, REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(159));
    }

    @Test
    void oneChangeIsAReadAndAWriteOfTheSlowestSource() {
        RetryPolicy quick = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(100), null, true);
        DeliveryBudget budget = DeliveryBudget.of(List.of(quick, RetryPolicy.defaults()), REQUEST_TIMEOUT);

        assertThat(budget.perChange()).isEqualTo(Duration.ofSeconds(660));
        assertThat(DeliveryBudget.of(List.of(quick), Duration.ofSeconds(1)).perChange())
                .as("2 × (2 × 1 s + 0.1 s)").isEqualTo(Duration.ofMillis(4_200));
        assertThat(DeliveryBudget.of(List.of(), REQUEST_TIMEOUT).perChange()).isZero();
    }

    @Test
    void thePollIntervalHoldsOneChangeTheLongestRedeliveryBackOffAndTheMargin() {
        DeliveryBudget defaults = DeliveryBudget.of(List.of(RetryPolicy.defaults()), REQUEST_TIMEOUT);

        // Kafka's default of 5 minutes is exceeded by the defaults' worst case: 660 s + 1 min + 1 min
        assertThat(defaults.maxPollInterval(Duration.ofMinutes(5), Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofSeconds(780));
        assertThat(defaults.maxPollInterval(Duration.ofMinutes(30), Duration.ofMinutes(1)))
                .as("a longer configured interval is kept").isEqualTo(Duration.ofMinutes(30));
        assertThat(defaults.shutdownTimeout()).as("a stop waits for the change in flight")
                .isEqualTo(Duration.ofSeconds(720));
    }

    @Test
    void aConsumerBuiltForSlowerChangesCoversFasterOnesOnly() {
        DeliveryBudget slow = new DeliveryBudget(Duration.ofMinutes(10));
        DeliveryBudget fast = new DeliveryBudget(Duration.ofSeconds(10));

        assertThat(slow.covers(fast)).isTrue();
        assertThat(slow.covers(slow)).isTrue();
        assertThat(fast.covers(slow)).isFalse();
    }
}
