package io.tributary.poller.rest.pagination;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One listing request: {@code updated_since} (null = omitted), 1-based {@code page} and {@code per_page}.
 * The page covers offsets {@code [(page - 1) * perPage, page * perPage)} of the listing at request time.
 */
public record PageRequest(@Nullable Instant updatedSince, int page, int perPage) {

    /**
     * The smallest maximum page size the walk supports: every page must include the anchor record and
     * still reach past it, which some tie-group depth defeats for every small set of page sizes (with
     * sizes 2..20 only from 232,792,560 records in one tie group on).
     */
    public static final int MIN_PER_PAGE = 20;

    public PageRequest {
        if (page < 1 || perPage < 1) {
            throw new IllegalArgumentException("page and perPage must be >= 1, were " + page + " and " + perPage);
        }
    }

    /** Offset of the page's first record in the listing for {@link #updatedSince}. */
    public long startOffset() {
        return (long) (page - 1) * perPage;
    }

    /**
     * The request that continues from {@code position}: {@code updated_since = T}, and the
     * {@code (per_page, page)} with per_page in {@code [ceil(max/2), max]} whose page starts at or before
     * offset {@code n - 1} (the last record passed, so the page overlaps what was seen) and reaches
     * furthest past it (with a maximum of 100, at least 49 records past it). Only if none of those sizes
     * reaches past the anchor (small maxima) is a smaller size used. With {@code n == 0}, page 1 at
     * {@code maxPerPage}.
     */
    public static PageRequest covering(ListingPosition position, int maxPerPage) {
        if (maxPerPage < MIN_PER_PAGE) {
            throw new IllegalArgumentException("maxPerPage must be >= " + MIN_PER_PAGE
                    + " (a page must overlap the position and still advance), was " + maxPerPage);
        }
        long n = position.passed();
        if (n == 0) {
            return new PageRequest(position.updatedAt(), 1, maxPerPage);
        }
        long anchor = n - 1;
        int bestPerPage = maxPerPage;
        long bestPage = 1;
        long bestEnd = -1;
        for (int perPage = maxPerPage; perPage >= 2; perPage--) {
            // Sizes below half the maximum only when every preferred size ends exactly at the anchor
            // (small maxima, or astronomically large tie groups); any smaller size then still moves forward.
            if (perPage < (maxPerPage + 1) / 2 && bestEnd > n) {
                break;
            }
            long page = anchor / perPage + 1;
            long end = page * perPage;
            if (end > bestEnd) {
                bestEnd = end;
                bestPage = page;
                bestPerPage = perPage;
            }
        }
        if (bestPage > Integer.MAX_VALUE) {
            throw new IllegalStateException("Tie group too large to page through: " + n + " records at "
                    + position.updatedAt());
        }
        return new PageRequest(position.updatedAt(), (int) bestPage, bestPerPage);
    }
}
