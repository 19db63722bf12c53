package io.tributary.poller.rest.pagination.strategy;

import java.util.Optional;

/**
 * How one listing is walked: which request comes first and which follows a page (none: the walk is over).
 * An extension point: a new way of paging is one implementation, one {@code pagination} type in the
 * definition schema and one case in {@link PaginationResolver}. Implementations are immutable; a walk's
 * state travels in the {@link NextPage} and {@link Page} values. A strategy trusts an explicit signal
 * ({@code hasMore}, {@code total}, a next cursor or link) over the page's size, and stops on an empty page.
 */
public interface PaginationStrategy {

    NextPage first();

    /** The request after {@code page}, or empty when {@code page} was the last. */
    Optional<NextPage> next(Page page);
}
