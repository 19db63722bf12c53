package io.tributary.poller.rest.pagination;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One record of a listing page as the walker sees it: its key {@code (updatedAt, id)} and the record
 * itself. A record whose id or {@code updated_at} cannot be read has a null key part: it still occupies
 * its offset in the page, but it can neither anchor a page nor move the position.
 *
 * @param id        the record's id, or null if missing
 * @param updatedAt the record's {@code updated_at}, or null if missing or unparsable
 * @param record    the record as received
 */
public record Row<R>(@Nullable String id, @Nullable Instant updatedAt, R record) {

    boolean keyed() {
        return id != null && updatedAt != null;
    }
}
