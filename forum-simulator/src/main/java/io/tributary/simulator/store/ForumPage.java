package io.tributary.simulator.store;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing, as computed at request time.
 *
 * @param data the records (contract JSON fields, timestamps as ISO-8601 strings)
 * @param hasMore whether a further page existed when this one was read
 */
public record ForumPage(List<Map<String, @Nullable Object>> data, int page, int perPage, boolean hasMore) {
}
