package io.tributary.definition;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** When the source is polled: every {@code interval}, or on a {@code cron} expression in {@code zone}. */
public record Schedule(@Nullable Duration interval, @Nullable String cron, String zone) {

    public Schedule {
        if ((interval == null) == (cron == null)) {
            throw new IllegalArgumentException("a schedule has an interval or a cron expression, not both or neither");
        }
        zone = Objects.requireNonNullElse(zone, "UTC"); // checked with the other cross-field rules
    }

    /** Every 30 seconds. */
    public static Schedule defaults() {
        return new Schedule(Duration.ofSeconds(30), null, "UTC");
    }
}
