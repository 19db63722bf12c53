package io.tributary.poller.rest.pagination;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One range of a {@link ParallelWalk}: the records from the previous range's {@code until} (inclusive; the
 * first range from the start of the listing) up to {@code until} (exclusive; null = unbounded, the last
 * range), the walker's position in it, and whether its walk reached the end.
 *
 * @param until    exclusive upper bound of {@code updated_at}; null for the last range
 * @param position where the range's walk stands (its start: {@code (from, null, 0)}, or START for the first)
 * @param done     the range was walked to its end; nothing more to do in it
 */
public record WalkRange(@Nullable Instant until, ListingPosition position, boolean done) {

    WalkRange at(ListingPosition next) {
        return new WalkRange(until, next, done);
    }

    WalkRange finished() {
        return new WalkRange(until, position, true);
    }
}
