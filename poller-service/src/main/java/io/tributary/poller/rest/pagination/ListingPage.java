package io.tributary.poller.rest.pagination;

import java.util.List;

/** One page of a listing, as answered at request time. */
public record ListingPage<R>(List<Row<R>> rows, boolean hasMore) {

    public ListingPage {
        rows = List.copyOf(rows);
    }
}
