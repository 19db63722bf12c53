package io.tributary.poller.rest.pagination.strategy;

import io.tributary.definition.EntitySource;
import io.tributary.mapping.declarative.SourcePath;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a response as a {@link Page} with a definition's record selector: the list at {@code path}
 * ({@code $} when the body is the list), {@code hasMore} and {@code total} when named. A body without a
 * list where one is expected is refused (a changed API must not look like an empty page).
 */
public record PageReader(SourcePath records, @Nullable SourcePath hasMore, @Nullable SourcePath total) {

    public static PageReader of(EntitySource.RecordSelector selector) {
        return new PageReader(SourcePath.parse(selector.path()),
                selector.hasMore() == null ? null : SourcePath.parse(selector.hasMore()),
                selector.total() == null ? null : SourcePath.parse(selector.total()));
    }

    public Page read(NextPage request, PageResponse response) {
        JsonNode list = records.read(response.body());
        if (list == null || !list.isArray()) {
            throw new IllegalStateException("Page " + request.number() + " from " + response.requestUrl().getPath()
                    + " has no list at '" + records.text() + "' (found " + (list == null ? "nothing" : list.getNodeType()) + ")");
        }
        List<JsonNode> rows = new ArrayList<>(list.values());
        Boolean more = null;
        if (hasMore != null) {
            JsonNode value = hasMore.read(response.body());
            more = value == null ? null : value.isBoolean() ? value.booleanValue() : Boolean.valueOf(value.asString());
        }
        Long count = null;
        if (total != null) {
            JsonNode value = total.read(response.body());
            count = value != null && value.canConvertToLong() ? value.longValue() : null;
        }
        return new Page(request, response, rows, more, count);
    }
}
