package io.tributary.poller.rest.pagination;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a listing into contiguous {@code updated_at} ranges for a {@link ParallelWalk}, with nothing but
 * the contract's filter: the oldest {@code updated_at} is the first record of the unfiltered listing; the
 * newest is bracketed by asking for {@code updated_since = now - d} with {@code d} doubling from one second
 * until a record answers, then narrowed by halvings (one record per request, all on page 1, about 40
 * requests for a year of history). The span between is cut into equal time
 * ranges. Only the ranges' balance depends on how records are spread over time, never the walk's
 * correctness: the ranges always cover every {@code updated_at}, the last one unbounded.
 */
public final class InitialRanges {

    private static final Logger LOG = LoggerFactory.getLogger(InitialRanges.class);
    private static final Duration FIRST_PROBE = Duration.ofSeconds(1);
    /** The bracket around the newest record is narrowed to this share of one range's span. */
    private static final int PRECISION = 8;

    private InitialRanges() {
    }

    /**
     * An instant after the newest record (or {@code now}): doubling steps back from {@code now} until a
     * record answers, then halvings between that step and the previous one until the bracket is smaller than
     * an eighth of one range, so the last ranges are not left empty.
     */
    private static <R> Instant newest(Listing<R> listing, Instant oldest, Instant now, int ranges) {
        Duration back = FIRST_PROBE;
        while (now.minus(back).isAfter(oldest) && !any(listing, now.minus(back))) {
            back = back.multipliedBy(2);
        }
        if (back.equals(FIRST_PROBE)) {
            return now;
        }
        Instant found = now.minus(back).isAfter(oldest) ? now.minus(back) : oldest; // a record at or after this
        Instant none = now.minus(back.dividedBy(2)); // and none at or after this
        while (Duration.between(found, none).toMillis() > 1
                && Duration.between(found, none).multipliedBy((long) ranges * PRECISION)
                        .compareTo(Duration.between(oldest, none)) > 0) {
            Instant middle = found.plus(Duration.between(found, none).dividedBy(2));
            if (any(listing, middle)) {
                found = middle;
            } else {
                none = middle;
            }
        }
        return none;
    }

    private static <R> boolean any(Listing<R> listing, Instant since) {
        return !listing.fetch(new PageRequest(since, 1, 1)).rows().isEmpty();
    }

    /** Up to {@code ranges} ranges covering the listing, or empty when one walk is all it needs. */
    public static <R> Optional<WalkRanges> plan(Listing<R> listing, int ranges, InstantSource clock) {
        if (ranges < 2) {
            return Optional.empty();
        }
        List<Row<R>> first = listing.fetch(new PageRequest(null, 1, 1)).rows();
        if (first.isEmpty() || first.get(0).updatedAt() == null) {
            return Optional.empty();
        }
        Instant oldest = first.get(0).updatedAt();
        Instant now = clock.instant();
        Instant newest = newest(listing, oldest, now, ranges);
        long span = newest.toEpochMilli() - oldest.toEpochMilli();
        int count = (int) Math.min(ranges, span);
        if (count < 2) {
            return Optional.empty();
        }
        List<WalkRange> planned = new ArrayList<>(count);
        ListingPosition from = ListingPosition.START;
        for (int i = 1; i < count; i++) {
            Instant until = Instant.ofEpochMilli(oldest.toEpochMilli() + span * i / count);
            planned.add(new WalkRange(until, from, false));
            from = new ListingPosition(until, null, 0);
        }
        planned.add(new WalkRange(null, from, false));
        LOG.debug("Listing from {} to about {} split into {} ranges", ListingPosition.format(oldest),
                ListingPosition.format(newest), count);
        return Optional.of(new WalkRanges(planned));
    }
}
