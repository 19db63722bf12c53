package io.tributary.writer.apply;

import io.tributary.writer.apply.CollapsedBatch.RecordKey;
import io.tributary.writer.entity.EntityDefinition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys of rows this process saw committed, per entity, the most recent {@code perEntity} of each, so the
 * applier can skip placeholder statements for them. Sound only while no row is ever removed: tombstone
 * retention (0011) now removes old ones, so the service runs with this off (0013's status note); the
 * benchmarks still measure it. Forgetting a key (eviction, restart)
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
