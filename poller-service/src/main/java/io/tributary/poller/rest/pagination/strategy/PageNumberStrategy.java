package io.tributary.poller.rest.pagination.strategy;

import java.util.Optional;

/** {@code ?page=1&per_page=100}, then page 2, 3, ... */
record PageNumberStrategy(String pageParam, String sizeParam, int size, int firstPage) implements PaginationStrategy {

    @Override
    public NextPage first() {
        return NextPage.of(0, pageParam, Integer.toString(firstPage), sizeParam, Integer.toString(size));
    }

    @Override
    public Optional<NextPage> next(Page page) {
        int number = page.request().number() + 1;
        boolean more;
        if (page.records().isEmpty()) {
            more = false;
        } else if (page.hasMore() != null) {
            more = page.hasMore();
        } else if (page.total() != null) {
            more = (long) number * size < page.total();
        } else {
            more = page.records().size() >= size; // a short page is the last
        }
        return more ? Optional.of(NextPage.of(number, pageParam, Integer.toString(firstPage + number),
                sizeParam, Integer.toString(size))) : Optional.empty();
    }
}
