package io.tributary.simulator.content;

import io.tributary.simulator.store.ForumCollection;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One change made by the simulator, as published to the {@link ForumChangeFeed}.
 *
 * @param collection the record's collection
 * @param kind created, updated or deleted
 * @param id the record's id
 * @param at the record's new {@code updated_at} (for a deletion: the simulator clock at deletion)
 * @param record the record after the change (contract JSON fields, ISO timestamps); null for a deletion
 */
public record ForumChange(ForumCollection collection, Kind kind, String id, Instant at,
                          @Nullable Map<String, @Nullable Object> record) {

    /** What happened to the record. */
    public enum Kind { CREATED, UPDATED, DELETED }

    /** The contract's webhook event type, e.g. {@code message.created}. */
    public String eventType() {
        return collection.singular() + "." + kind.name().toLowerCase(Locale.ROOT);
    }
}
