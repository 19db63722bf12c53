package io.tributary.writer.apply;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer's {@code synced_at} values: ISO-8601 UTC with microseconds (fixed width, so text order is time order),
 * strictly increasing for one writer process — the applier stamps each batch, delivery each write-back, from one
 * instance.
 *
 * <p>Why strictly: the echo rule of two-way tables (decision 0024) takes a write that leaves
 * {@code source_version}, {@code external_id} and {@code synced_at} as they were for the application's. A writer
 * delete whose version is not above the row's changes only {@code deleted} and {@code synced_at}; had it the same
 * stamp as the writer's previous write of that row (two batches within one clock tick), it would be captured and
 * sent back to the source. A stamp never repeats, so every write of the writer changes {@code synced_at}. Two
 * stamps in one microsecond are moved apart by one microsecond, which only matters beyond a million batches a
 * second.
 */
public final class SyncedAtStamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final AtomicLong lastMicros = new AtomicLong(Long.MIN_VALUE);

    public SyncedAtStamps(Clock clock) {
        this.clock = clock;
    }

    /** A stamp later than every one this instance gave before, and not before the clock's time. */
    public String next() {
        Instant now = clock.instant();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        long stamp = lastMicros.accumulateAndGet(micros, (last, current) -> Math.max(last + 1, current));
        return format(Instant.ofEpochSecond(Math.floorDiv(stamp, 1_000_000L), Math.floorMod(stamp, 1_000_000L) * 1_000L));
    }

    /** {@code instant} spelt as a stamp (truncated to the microsecond), e.g. to compare {@code synced_at} with. */
    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
