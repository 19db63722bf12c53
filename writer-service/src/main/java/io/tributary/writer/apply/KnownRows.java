package io.tributary.writer.apply;

import io.tributary.writer.apply.CollapsedBatch.RecordKey;
import io.tributary.writer.entity.EntityDefinition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys of rows this process saw committed, per entity, the most recent {@code perEntity} of each. The writer
 * never removes a row (a delete keeps it as a tombstone), so a key once committed stays stored and a
 * placeholder for it is a no-op: the applier skips those statements. Forgetting a key (eviction, restart)
 * only costs the statement again. Used by the one consumer thread; synchronized for safety anyway.
 * See docs/decisions/0013.
 */
final class KnownRows {

    private final int perEntity;
    private final Map<EntityDefinition, LinkedHashMap<RecordKey, Boolean>> byEntity = new HashMap<>();

    KnownRows(int perEntity) {
        this.perEntity = perEntity;
    }

    synchronized boolean contains(EntityDefinition entity, RecordKey key) {
        Map<RecordKey, Boolean> keys = byEntity.get(entity);
        return keys != null && keys.containsKey(key);
    }

    /** Call only after the transaction that wrote these rows committed. */
    synchronized void addAll(EntityDefinition entity, Iterable<RecordKey> keys) {
        if (perEntity == 0) {
            return;
        }
        LinkedHashMap<RecordKey, Boolean> known = byEntity.computeIfAbsent(entity, e -> new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<RecordKey, Boolean> eldest) {
                return size() > perEntity;
            }
        });
        for (RecordKey key : keys) {
            known.put(key, Boolean.TRUE);
        }
    }
}
