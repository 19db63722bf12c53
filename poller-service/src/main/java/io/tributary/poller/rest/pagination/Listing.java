package io.tributary.poller.rest.pagination;

/**
 * A listing ordered by {@code (updated_at, id)} ascending, filtered by an inclusive
 * {@code updated_since} and paged by offset at request time (the external forum API's listing).
 */
@FunctionalInterface
public interface Listing<R> {

    /** Fetches one page; throws a runtime exception if it cannot (after the transport's own retries). */
    ListingPage<R> fetch(PageRequest request);
}
