package io.tributary.poller.rest.pagination.strategy;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One answered page: the URL it was requested from (a relative Link is resolved against it), the parsed
 * body and the headers (looked up without regard to case).
 */
public record PageResponse(URI requestUrl, JsonNode body, Map<String, List<String>> headers) {

    public PageResponse {
        Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> byName.merge(name, List.copyOf(values),
                (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
        headers = java.util.Collections.unmodifiableMap(byName);
    }

    /** Every value of a header (a header may be sent more than once), or an empty list. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    public @Nullable String header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? null : values.get(0);
    }
}
