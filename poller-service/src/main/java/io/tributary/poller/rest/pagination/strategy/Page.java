package io.tributary.poller.rest.pagination.strategy;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A page as a strategy sees it: the request that fetched it, the response, the records selected from the
 * body, and what the body says about more pages ({@code hasMore}, {@code total}; null when the source's
 * definition names no such field or the field is absent).
 */
public record Page(NextPage request, PageResponse response, List<JsonNode> records, @Nullable Boolean hasMore,
        @Nullable Long total) {

    public Page {
        records = List.copyOf(records);
    }
}
