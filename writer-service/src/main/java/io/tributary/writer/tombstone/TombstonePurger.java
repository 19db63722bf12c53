package io.tributary.writer.tombstone;

import io.tributary.writer.apply.SyncedAtStamps;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes tombstones ({@code deleted = 1}) whose delete was applied before a cutoff and that no row
 * references (docs/decisions/0011). A row a live or deleted child still points at stays: children are not
 * cascaded, and a foreign key must never dangle. Children go first (messages, topics, sections, users), and
 * each entity is purged in transactions of at most {@code batchSize} rows (each on a connection borrowed for
 * it alone) until none is left, so a chain of old tombstones (a deleted reply of a deleted message) goes in
 * one run.
 *
 * <p>The age is {@code synced_at}, the writer's own clock at the delete: a refused later upsert does not
 * touch the row, so it is the time of the last delete (fixed-width ISO-8601 strings compare in time order).
 */
public final class TombstonePurger {

    private static final Logger LOG = LoggerFactory.getLogger(TombstonePurger.class);

    private final DataSource dataSource;
    private final int batchSize;
    private final CurrentCatalog catalog;

    public TombstonePurger(WriterDatabase database, EntityCatalog catalog, int batchSize) {
        this(database, new CurrentCatalog(catalog), batchSize);
    }

    /** Over the catalog the writer applies at each run (entities learnt while running are purged too). */
    public TombstonePurger(WriterDatabase database, CurrentCatalog catalog, int batchSize) {
        this.dataSource = database.dataSource();
        this.batchSize = batchSize;
        this.catalog = catalog;
    }

    /** Per entity, children first: its purge statement (parameters: cutoff, batch size). */
    private static Map<String, String> statements(EntityCatalog catalog) {
        Map<String, String> statements = new LinkedHashMap<>();
        List<EntityDefinition> childrenFirst = new ArrayList<>(catalog.definitions());
        Collections.reverse(childrenFirst);
        for (EntityDefinition entity : childrenFirst) {
            statements.put(entity.name(), purgeStatement(entity, catalog));
        }
        return statements;
    }

    /**
     * {@code DELETE} of at most N old, unreferenced tombstones; the inner select names its rows by internal id
     * (SQLite's {@code DELETE} takes no {@code LIMIT} by default, PostgreSQL's none at all).
     */
    static String purgeStatement(EntityDefinition entity, EntityCatalog catalog) {
        String table = entity.name();
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(table).append(" WHERE id IN (SELECT t.id FROM ")
                .append(table).append(" t WHERE t.deleted = 1 AND t.synced_at < ?");
        int alias = 0;
        for (EntityDefinition child : catalog.definitions()) {
            for (FieldDefinition ref : child.references()) {
                if (ref.references().equals(table)) {
                    String c = "c" + alias++;
                    sql.append(" AND NOT EXISTS (SELECT 1 FROM ").append(child.name()).append(' ').append(c)
                            .append(" WHERE ").append(c).append('.').append(ref.name()).append(" = t.id)");
                }
            }
        }
        return sql.append(" ORDER BY t.id LIMIT ?)").toString();
    }

    /**
     * Purges every tombstone applied before {@code cutoff} that nothing references.
     *
     * @return rows removed per entity (every entity, zeros included), children first
     */
    public Map<String, Long> purgeOlderThan(Instant cutoff) throws SQLException {
        String before = SyncedAtStamps.format(cutoff);
        Map<String, Long> purged = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : statements(catalog.get()).entrySet()) {
            long total = 0;
            try {
                int removed;
                do {
                    removed = purgeBatch(entry.getValue(), before);
                    total += removed;
                } while (removed > 0);
            } catch (SQLException e) {
                throw new SQLException("Failed to purge " + entry.getKey() + " tombstones older than " + before
                        + " (" + total + " removed before the failure)", e.getSQLState(), e);
            }
            purged.put(entry.getKey(), total);
        }
        LOG.debug("Purged tombstones older than {}: {}", before, purged);
        return purged;
    }

    /**
     * One batch in its own transaction, on a connection borrowed for that batch only: SQLite's pool has a
     * single connection, and the applier must not wait for a whole purge.
     */
    private int purgeBatch(String sql, String before) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            connection.setAutoCommit(true);
            statement.setString(1, before);
            statement.setInt(2, batchSize);
            return statement.executeUpdate();
        }
    }
}
