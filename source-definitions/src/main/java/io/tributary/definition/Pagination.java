package io.tributary.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** How a listing is walked page after page; parameter names are configurable, defaults are the common ones. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Pagination.None.class, name = "none"),
        @JsonSubTypes.Type(value = Pagination.PageNumber.class, name = "page-number"),
        @JsonSubTypes.Type(value = Pagination.OffsetLimit.class, name = "offset-limit"),
        @JsonSubTypes.Type(value = Pagination.Cursor.class, name = "cursor"),
        @JsonSubTypes.Type(value = Pagination.LinkHeader.class, name = "link-header")})
public sealed interface Pagination {

    /** One request returns everything. */
    record None() implements Pagination {
    }

    /** {@code ?page=1&per_page=100}: pages counted from {@code firstPage}. */
    record PageNumber(String pageParam, String sizeParam, Integer size, Integer firstPage) implements Pagination {
        public PageNumber {
            pageParam = Objects.requireNonNullElse(pageParam, "page");
            sizeParam = Objects.requireNonNullElse(sizeParam, "per_page");
            size = Objects.requireNonNullElse(size, 100);
            firstPage = Objects.requireNonNullElse(firstPage, 1);
        }
    }

    /** {@code ?offset=200&limit=100}. */
    record OffsetLimit(String offsetParam, String limitParam, Integer limit) implements Pagination {
        public OffsetLimit {
            offsetParam = Objects.requireNonNullElse(offsetParam, "offset");
            limitParam = Objects.requireNonNullElse(limitParam, "limit");
            limit = Objects.requireNonNullElse(limit, 100);
        }
    }

    enum CursorFrom {
        @JsonProperty("body") BODY,
        @JsonProperty("header") HEADER
    }

    /**
     * An opaque next-page token read from the body ({@code cursorPath}, a source path such as
     * {@code meta.next_cursor}) or a response header ({@code cursorHeader}) and sent back as {@code cursorParam};
     * an absent or empty token ends the walk.
     */
    record Cursor(CursorFrom from, String cursorParam, @Nullable String cursorPath, @Nullable String cursorHeader,
            @Nullable String sizeParam, @Nullable Integer size) implements Pagination {
        public Cursor {
            cursorParam = Objects.requireNonNullElse(cursorParam, "cursor");
        }
    }

    /** RFC 8288 {@code Link: <...>; rel="next"}: the next page's URL is followed as given. */
    record LinkHeader(@Nullable String sizeParam, @Nullable Integer size) implements Pagination {
    }
}
