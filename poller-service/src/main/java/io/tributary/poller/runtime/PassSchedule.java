package io.tributary.poller.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a partition's next pass starts: a fixed pause after the previous pass ended, or the next time a cron
 * expression fires in its zone (a source definition's {@code schedule}). A pass that runs past a firing time
 * does not queue it up: the next pass starts at the first firing after the pass ended.
 */
public record PassSchedule(Duration interval, @Nullable CronExpression cron, ZoneId zone) {

    public PassSchedule {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(zone, "zone");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("a pause between passes must not be negative, was " + interval);
        }
    }

    /** A pass, then {@code interval}, then the next pass. */
    public static PassSchedule every(Duration interval) {
        return new PassSchedule(interval, null, ZoneId.of("UTC"));
    }

    /**
     * Passes when {@code expression} fires in {@code zone}: 5 fields (minute first, as crontab) or 6 (second
     * first, as Spring). Throws naming the expression when it cannot be parsed.
     */
    public static PassSchedule cron(String expression, String zone) {
        String trimmed = expression.trim();
        String sixFields = trimmed.split("\\s+").length == 5 ? "0 " + trimmed : trimmed;
        CronExpression cron;
        try {
            cron = CronExpression.parse(sixFields);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule.cron '" + expression + "' is not a cron expression: "
                    + e.getMessage(), e);
        }
        return new PassSchedule(Duration.ZERO, cron, ZoneId.of(zone));
    }

    /** The pause from {@code now} (a pass just ended) to the next pass. */
    public Duration delayAfter(Instant now) {
        if (cron == null) {
            return interval;
        }
        ZonedDateTime next = cron.next(now.atZone(zone));
        if (next == null) {
            throw new IllegalStateException("schedule.cron '" + cron + "' never fires again");
        }
        return Duration.between(now, next.toInstant());
    }

    @Override
    public String toString() {
        return cron == null ? "every " + interval : "cron '" + cron + "' in " + zone;
    }
}
