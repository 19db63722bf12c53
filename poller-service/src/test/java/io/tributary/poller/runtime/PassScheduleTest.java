package io.tributary.poller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PassScheduleTest {

    @Test
    void anIntervalIsThePauseAfterEveryPass() {
        assertThat(PassSchedule.every(Duration.ofSeconds(30)).delayAfter(Instant.parse("2026-11-22T12:00:07Z")))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aFiveFieldCronFiresAtTheNextMatchingMinuteInItsZone() {
        // 02:30 every day in Paris: 01:30 UTC in winter
        PassSchedule nightly = PassSchedule.cron("30 2 * * *", "Europe/Paris");

        assertThat(nightly.delayAfter(Instant.parse("2026-11-22T01:00:00Z"))).isEqualTo(Duration.ofMinutes(30));
        // a pass that ended after today's firing waits for tomorrow's, it does not run at once
        assertThat(nightly.delayAfter(Instant.parse("2026-11-22T01:45:00Z")))
                .isEqualTo(Duration.ofHours(23).plusMinutes(45));
    }

    @Test
    void aSixFieldCronCountsSecondsFirst() {
        assertThat(PassSchedule.cron("*/15 * * * * *", "UTC").delayAfter(Instant.parse("2026-11-22T12:00:07Z")))
                .isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aBrokenExpressionIsNamed() {
        assertThatThrownBy(() -> PassSchedule.cron("61 * * * *", "UTC"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schedule.cron '61 * * * *' is not a cron expression");
    }
}
