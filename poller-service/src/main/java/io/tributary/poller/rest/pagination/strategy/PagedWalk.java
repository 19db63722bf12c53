package io.tributary.poller.rest.pagination.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Walks a listing to its end with a strategy: fetch, read, ask for the next request. Bounded by
 * {@code maxPages} so a source that never stops cannot hold a poller forever. The fetch function owns
 * transport, authentication and retries.
 */
public final class PagedWalk {

    private PagedWalk() {
    }

    /** Every record of the listing, in the order received. */
    public static List<JsonNode> readAll(PaginationStrategy strategy, PageReader reader,
            Function<NextPage, PageResponse> fetch, int maxPages) {
        List<JsonNode> records = new ArrayList<>();
        Optional<NextPage> request = Optional.of(strategy.first());
        int pages = 0;
        while (request.isPresent()) {
            if (++pages > maxPages) {
                throw new IllegalStateException("The listing did not end within " + maxPages + " pages");
            }
            Page page = reader.read(request.get(), fetch.apply(request.get()));
            records.addAll(page.records());
            request = strategy.next(page);
        }
        return records;
    }
}
