package io.tributary.runtime.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PeriodicTaskTest {

    @Test
    void runsAgainAfterAFailedRunOnItsNamedThreadUntilStopped() {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<String> thread = new AtomicReference<>();
        PeriodicTask task = new PeriodicTask("test-housekeeping", Duration.ZERO, Duration.ofMillis(10), () -> {
            thread.set(Thread.currentThread().getName());
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("the first run fails");
            }
        });
        assertThat(task.isRunning()).isFalse();

        task.start();
        await("runs after the failed one").atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 3);
        assertThat(task.isRunning()).isTrue();
        assertThat(thread.get()).isEqualTo("test-housekeeping");

        task.stop();
        assertThat(task.isRunning()).isFalse();
        int stoppedAt = runs.get();
        await("no run after stop").during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .until(() -> runs.get() <= stoppedAt + 1); // a run already under way may end
    }

    @Test
    void aPeriodThatIsNotPositiveIsRefusedNamingTheTask() {
        assertThatThrownBy(() -> new PeriodicTask("purge", Duration.ZERO, Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("purge");
    }
}
