package io.tributary.poller.rest.pagination.strategy;

import java.util.Optional;

/**
 * {@code ?offset=0&limit=100}, then the offset moves by the records received, not by the limit: a server
 * that silently caps the limit lower must not make the walk skip records. For the same reason a short page
 * is not taken as the last one unless the body says so ({@code hasMore}, {@code total}): without such a
 * signal the walk ends on an empty page (one more request, rather than lost records).
 */
record OffsetLimitStrategy(String offsetParam, String limitParam, int limit) implements PaginationStrategy {

    @Override
    public NextPage first() {
        return NextPage.of(0, offsetParam, "0", limitParam, Integer.toString(limit));
    }

    @Override
    public Optional<NextPage> next(Page page) {
        long offset = Long.parseLong(page.request().params().get(offsetParam)) + page.records().size();
        boolean more;
        if (page.records().isEmpty()) {
            more = false;
        } else if (page.hasMore() != null) {
            more = page.hasMore();
        } else if (page.total() != null) {
            more = offset < page.total();
        } else {
            more = true; // the empty page ends it
        }
        return more ? Optional.of(NextPage.of(page.request().number() + 1, offsetParam, Long.toString(offset),
                limitParam, Integer.toString(limit))) : Optional.empty();
    }
}
