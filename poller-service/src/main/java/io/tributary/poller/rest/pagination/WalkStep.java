package io.tributary.poller.rest.pagination;

import java.util.List;

/**
 * One trusted page's worth of progress: the records to emit (in listing order, already filtered against
 * the rescan window's recently emitted set) and the position after them, durable once they are published.
 */
public record WalkStep<R>(List<Row<R>> emit, ListingPosition position) {

    public WalkStep {
        emit = List.copyOf(emit);
    }
}
