package io.tributary.poller.rest.pagination.strategy;

import io.tributary.definition.Pagination;
import io.tributary.mapping.declarative.SourcePath;
import java.util.Optional;

/** The strategy for a definition's {@code pagination}. */
public final class PaginationResolver {

    private PaginationResolver() {
    }

    public static PaginationStrategy resolve(Pagination pagination) {
        // Java 17: no pattern matching in switch yet
        if (pagination instanceof Pagination.PageNumber p) {
            return new PageNumberStrategy(p.pageParam(), p.sizeParam(), p.size(), p.firstPage());
        }
        if (pagination instanceof Pagination.OffsetLimit o) {
            return new OffsetLimitStrategy(o.offsetParam(), o.limitParam(), o.limit());
        }
        if (pagination instanceof Pagination.Cursor c) {
            return new CursorTokenStrategy(c.cursorParam(),
                    c.from() == Pagination.CursorFrom.BODY ? SourcePath.parse(java.util.Objects.requireNonNull(c.cursorPath())) : null,
                    c.from() == Pagination.CursorFrom.HEADER ? c.cursorHeader() : null, c.sizeParam(), c.size());
        }
        if (pagination instanceof Pagination.LinkHeader l) {
            return new LinkHeaderStrategy(l.sizeParam(), l.size());
        }
        if (pagination instanceof Pagination.None) {
            return new SinglePage();
        }
        throw new IllegalArgumentException("No pagination strategy for " + pagination);
    }

    /** One request answers everything. */
    record SinglePage() implements PaginationStrategy {
        @Override
        public NextPage first() {
            return new NextPage(java.util.Map.of(), null, 0);
        }

        @Override
        public Optional<NextPage> next(Page page) {
            return Optional.empty();
        }
    }
}
