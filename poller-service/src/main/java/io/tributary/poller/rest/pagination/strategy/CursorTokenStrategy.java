package io.tributary.poller.rest.pagination.strategy;

import io.tributary.mapping.declarative.SourcePath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An opaque next-page token from the body ({@code bodyPath}) or a header ({@code header}), sent back as
 * {@code cursorParam}. No token (absent, null or empty) ends the walk; a token equal to the one just sent
 * is refused, as a server bug that would otherwise loop forever.
 */
record CursorTokenStrategy(String cursorParam, @Nullable SourcePath bodyPath, @Nullable String header,
        @Nullable String sizeParam, @Nullable Integer size) implements PaginationStrategy {

    CursorTokenStrategy {
        if ((bodyPath == null) == (header == null)) {
            throw new IllegalArgumentException("a cursor comes from the body or from a header");
        }
    }

    @Override
    public NextPage first() {
        return new NextPage(sizeParams(), null, 0);
    }

    @Override
    public Optional<NextPage> next(Page page) {
        String token = token(page);
        if (token == null || token.isEmpty() || page.records().isEmpty() && !Boolean.TRUE.equals(page.hasMore())) {
            return Optional.empty();
        }
        if (token.equals(page.request().params().get(cursorParam))) {
            throw new IllegalStateException("The source answered page " + page.request().number()
                    + " with the cursor it was asked for: the walk would never end");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put(cursorParam, token);
        params.putAll(sizeParams());
        return Optional.of(new NextPage(params, null, page.request().number() + 1));
    }

    private @Nullable String token(Page page) {
        if (header != null) {
            return page.response().header(header);
        }
        JsonNode value = bodyPath.read(page.response().body());
        return value == null || value.isContainer() ? null : value.asString();
    }

    private Map<String, String> sizeParams() {
        return sizeParam == null || size == null ? Map.of() : Map.of(sizeParam, Integer.toString(size));
    }
}
