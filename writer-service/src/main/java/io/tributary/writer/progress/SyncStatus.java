package io.tributary.writer.progress;

import java.util.Map;

/**
 * What {@code GET /status} answers: per entity the rows in the main DB by state, the records dead-lettered
 * since start and the consumer lag ({@code -1} until the consumer has fetched).
 *
 * @param entities per entity: {@code live} (synced), {@code placeholders} (referenced, not yet received),
 *                 {@code deleted} (tombstones)
 */
record SyncStatus(Map<String, EntityRows> entities, long lag, long deadLettered) {

    record EntityRows(long live, long placeholders, long deleted) {
    }
}
