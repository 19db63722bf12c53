package io.tributary.writer.apply;

import io.tributary.model.Operation;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.RowChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A batch with at most one change per record: a delete wins over any upsert, else the highest version.
 * This only saves work; the version guard in SQL is what makes the result independent of order and
 * duplicates. Changes are grouped by entity in apply order and sorted by (source, external id) within an
 * entity, which keeps consecutive writes on neighbouring index pages. Collapsed in hash maps and sorted once at the
 * end: a sorted map per entity cost two tree walks per change (docs/benchmarks.md, 2026-12-07).
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

    private final Map<EntityDefinition, Map<RecordKey, RowChange>> kept = new HashMap<>();
    private final Map<EntityDefinition, List<RowChange>> byEntity = new LinkedHashMap<>();
    private final Map<String, Map<Operation, Integer>> duplicates = new LinkedHashMap<>();

    CollapsedBatch(EntityCatalog catalog, List<RowChange> changes) {
        for (EntityDefinition entity : catalog.definitions()) {
            kept.put(entity, new HashMap<>());
        }
        for (RowChange change : changes) {
            Map<RecordKey, RowChange> rows = kept.get(change.entity());
            if (rows == null) {
                throw new IllegalArgumentException("Entity '" + change.entity().name() + "' is not in the catalog");
            }
            RecordKey key = new RecordKey(change.sourceId(), change.externalId());
            RowChange previous = rows.putIfAbsent(key, change);
            if (previous == null) {
                continue;
            }
            if (supersedes(change, previous)) {
                rows.put(key, change);
                countDuplicate(previous);
            } else {
                countDuplicate(change);
            }
        }
        for (EntityDefinition entity : catalog.definitions()) {
            // sorted by the keys themselves, as BatchApplier sorts the placeholders: one lock order. The map's own
            // entries are sorted, no object made per change.
            List<Map.Entry<RecordKey, RowChange>> entries = new ArrayList<>(kept.get(entity).entrySet());
            entries.sort(Map.Entry.comparingByKey());
            List<RowChange> sorted = new ArrayList<>(entries.size());
            for (Map.Entry<RecordKey, RowChange> entry : entries) {
                sorted.add(entry.getValue());
            }
            byEntity.put(entity, sorted);
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
    Map<EntityDefinition, List<RowChange>> byEntity() {
        return byEntity;
    }

    boolean contains(EntityDefinition entity, RecordKey key) {
        return kept.get(entity).containsKey(key);
    }

    /** The keys of the records of {@code entity} in the batch. */
    Set<RecordKey> keys(EntityDefinition entity) {
        return kept.get(entity).keySet();
    }

    /** Dropped changes per entity name and operation. */
    Map<String, Map<Operation, Integer>> duplicates() {
        return duplicates;
    }
}
