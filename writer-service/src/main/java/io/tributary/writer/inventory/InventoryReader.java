package io.tributary.writer.inventory;

import io.tributary.model.inventory.InventoryDigest;
import io.tributary.model.inventory.InventoryEntry;
import io.tributary.writer.entity.EntityDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import javax.sql.DataSource;

/**
 * Reads one source's live rows of one entity (tombstones are absent records; placeholders are present at
 * version 0) in one streaming pass over the {@code (source_id, external_id)} index: a digest costs memory
 * per bucket, not per row. On SQLite the pass holds the writer's single connection, so batches wait for
 * it for one index scan.
 */
final class InventoryReader {

    private static final int FETCH_SIZE = 10_000;

    private final DataSource dataSource;

    InventoryReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    InventoryDigest digest(EntityDefinition entity, String sourceId, int buckets) throws SQLException {
        InventoryDigest digest = InventoryDigest.empty(buckets);
        scan(entity, sourceId, digest::add);
        return digest;
    }

    /** The live rows that fall in {@code bucketIds}, in the table's key order. */
    List<InventoryEntry> entries(EntityDefinition entity, String sourceId, int buckets, Set<Integer> bucketIds)
            throws SQLException {
        List<InventoryEntry> entries = new ArrayList<>();
        scan(entity, sourceId, (externalId, version) -> {
            if (bucketIds.contains(InventoryDigest.bucketOf(externalId, buckets))) {
                entries.add(new InventoryEntry(externalId, version));
            }
        });
        return entries;
    }

    private void scan(EntityDefinition entity, String sourceId, ObjLongConsumer<String> visitor) throws SQLException {
        // The table name comes from the entity catalog, never from the request.
        // A two-way table's rows without an external id are the application's creates not delivered yet: not at
        // the source, so not part of what is compared with it (delivery, not reconciliation, owns them).
        String sql = "SELECT external_id, source_version FROM " + entity.name()
                + " WHERE source_id = ? AND deleted = 0 AND external_id IS NOT NULL ORDER BY external_id";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(FETCH_SIZE);
            statement.setString(1, sourceId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    visitor.accept(rows.getString(1), rows.getLong(2));
                }
            }
        }
    }
}
