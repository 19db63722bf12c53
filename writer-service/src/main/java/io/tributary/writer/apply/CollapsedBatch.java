package io.tributary.writer.apply;

import io.tributary.model.Operation;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.RowChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A batch with at most one change per record: a delete wins over any upsert, else the highest version.
 * This only saves work; the version guard in SQL is what makes the result independent of order and
 * duplicates. Changes are grouped by entity in apply order and sorted by (source, external id) within an
 * entity, which keeps consecutive writes on neighbouring index pages.
 */
final class CollapsedBatch {

    /** The identity of a record within one entity, ordered by (source, external id): the lock order. */
    record RecordKey(String sourceId, String externalId) implements Comparable<RecordKey> {
        @Override
        public int compareTo(RecordKey other) {
            // Written out rather than a Comparator chain: it runs a few times per change in every batch.
            int bySource = sourceId.compareTo(other.sourceId);
            return bySource != 0 ? bySource : externalId.compareTo(other.externalId);
        }
    }

    private final Map<EntityDefinition, NavigableMap<RecordKey, RowChange>> byEntity = new LinkedHashMap<>();
    private final Map<String, Map<Operation, Integer>> duplicates = new LinkedHashMap<>();

    CollapsedBatch(EntityCatalog catalog, List<RowChange> changes) {
        for (EntityDefinition entity : catalog.definitions()) {
            byEntity.put(entity, new TreeMap<>());
        }
        for (RowChange change : changes) {
            NavigableMap<RecordKey, RowChange> rows = byEntity.get(change.entity());
            if (rows == null) {
                throw new IllegalArgumentException("Entity '" + change.entity().name() + "' is not in the catalog");
            }
            RecordKey key = new RecordKey(change.sourceId(), change.externalId());
            RowChange kept = rows.get(key);
            if (kept == null) {
                rows.put(key, change);
            } else if (supersedes(change, kept)) {
                rows.put(key, change);
                countDuplicate(kept);
            } else {
                countDuplicate(change);
            }
        }
    }

    private static boolean supersedes(RowChange candidate, RowChange kept) {
        if (candidate.op() != kept.op()) {
            return candidate.op() == Operation.DELETE;
        }
        return candidate.sourceVersion() > kept.sourceVersion();
    }

    private void countDuplicate(RowChange dropped) {
        duplicates.computeIfAbsent(dropped.entity().name(), e -> new LinkedHashMap<>())
                .merge(dropped.op(), 1, Integer::sum);
    }

    /** Entities in apply order, each with its changes sorted by record key. */
    Map<EntityDefinition, NavigableMap<RecordKey, RowChange>> byEntity() {
        return byEntity;
    }

    boolean contains(EntityDefinition entity, RecordKey key) {
        return byEntity.get(entity).containsKey(key);
    }

    /** Dropped changes per entity name and operation. */
    Map<String, Map<Operation, Integer>> duplicates() {
        return duplicates;
    }
}
