package io.tributary.writer.apply;

import io.tributary.model.Operation;
import io.tributary.writer.apply.CollapsedBatch.RecordKey;
import io.tributary.writer.dialect.Dialect;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import io.tributary.writer.entity.RowChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch of validated changes to the main database in ONE transaction:
 * <ol>
 *   <li>collapse duplicates per record ({@link CollapsedBatch});</li>
 *   <li>insert a placeholder row ({@code source_version = 0}, fields null) for every referenced record that
 *       is not stored yet, so every reference can be written as a real foreign key now; the record's own
 *       upsert later fills the placeholder in place, keeping its internal id;</li>
 *   <li>per entity, parents first, sorted by external id: version-guarded upserts and final deletes, each
 *       kind as one JDBC batch of one prepared statement.</li>
 * </ol>
 * Either everything commits or nothing does: a failure rolls back and is thrown, and the caller retries
 * or isolates the culprit. Applying the same changes again, or in another order, ends in the same state.
 */
public final class BatchApplier {

    private static final Logger LOG = LoggerFactory.getLogger(BatchApplier.class);
    private static final DateTimeFormatter SYNCED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final DataSource dataSource;
    private final EntityCatalog catalog;
    private final Clock clock;
    private final Map<EntityDefinition, EntitySql> sql = new LinkedHashMap<>();

    private record EntitySql(String placeholder, String upsert, String delete) {
    }

    public BatchApplier(WriterDatabase database, EntityCatalog catalog, Clock clock) {
        this.dataSource = database.dataSource();
        this.catalog = catalog;
        this.clock = clock;
        Dialect dialect = database.dialect();
        for (EntityDefinition entity : catalog.definitions()) {
            sql.put(entity, new EntitySql(dialect.insertPlaceholder(entity), dialect.upsert(entity),
                    dialect.delete(entity)));
        }
    }

    /**
     * Applies the changes in one transaction.
     *
     * @throws SQLException after rolling back; nothing of the batch is stored
     */
    public ApplyResult apply(List<RowChange> changes) throws SQLException {
        CollapsedBatch batch = new CollapsedBatch(catalog, changes);
        String syncedAt = SYNCED_AT.format(clock.instant());
        List<ApplyResult.Count> counts = new ArrayList<>();
        int placeholders;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                placeholders = insertPlaceholders(connection, batch, syncedAt);
                for (Map.Entry<EntityDefinition, NavigableMap<RecordKey, RowChange>> entry : batch.byEntity().entrySet()) {
                    writeEntity(connection, entry.getKey(), entry.getValue().values(), syncedAt, counts);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        }
        batch.duplicates().forEach((entity, byOp) -> byOp.forEach((op, n) ->
                counts.add(new ApplyResult.Count(entity, op, Outcome.DUPLICATE, n))));
        ApplyResult result = new ApplyResult(counts, placeholders);
        LOG.debug("Applied batch of {} change(s): {} applied, {} stale, {} duplicate, {} placeholder(s) created",
                changes.size(), result.total(Outcome.APPLIED), result.total(Outcome.STALE),
                result.total(Outcome.DUPLICATE), placeholders);
        return result;
    }

    private int insertPlaceholders(Connection connection, CollapsedBatch batch, String syncedAt) throws SQLException {
        Map<EntityDefinition, NavigableSet<RecordKey>> missing = new LinkedHashMap<>();
        for (Map.Entry<EntityDefinition, NavigableMap<RecordKey, RowChange>> entry : batch.byEntity().entrySet()) {
            EntityDefinition entity = entry.getKey();
            for (FieldDefinition ref : entity.references()) {
                EntityDefinition target = catalog.get(ref.references());
                // A record of an earlier entity in this batch is written before its referrers: no placeholder.
                boolean targetWrittenFirst = catalog.order(target) < catalog.order(entity);
                for (RowChange change : entry.getValue().values()) {
                    Object externalId = change.op() == Operation.UPSERT ? change.value(ref.name()) : null;
                    if (externalId == null) {
                        continue;
                    }
                    RecordKey key = new RecordKey(change.sourceId(), (String) externalId);
                    if (!(targetWrittenFirst && batch.contains(target, key))) {
                        missing.computeIfAbsent(target, t -> new TreeSet<>(RecordKey.ORDER)).add(key);
                    }
                }
            }
        }
        int created = 0;
        for (EntityDefinition entity : catalog.definitions()) {
            NavigableSet<RecordKey> keys = missing.get(entity);
            if (keys == null) {
                continue;
            }
            try (PreparedStatement statement = connection.prepareStatement(sql.get(entity).placeholder())) {
                for (RecordKey key : keys) {
                    statement.setString(1, key.sourceId());
                    statement.setString(2, key.externalId());
                    statement.setString(3, syncedAt);
                    statement.addBatch();
                }
                for (int updated : statement.executeBatch()) {
                    created += updated > 0 ? 1 : 0;
                }
            }
        }
        return created;
    }

    private void writeEntity(Connection connection, EntityDefinition entity, Iterable<RowChange> changes,
            String syncedAt, List<ApplyResult.Count> counts) throws SQLException {
        List<RowChange> upserts = new ArrayList<>();
        List<RowChange> deletes = new ArrayList<>();
        for (RowChange change : changes) {
            (change.op() == Operation.UPSERT ? upserts : deletes).add(change);
        }
        if (!upserts.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(sql.get(entity).upsert())) {
                for (RowChange change : upserts) {
                    bindUpsert(statement, entity, change, syncedAt);
                    statement.addBatch();
                }
                count(entity, Operation.UPSERT, statement.executeBatch(), counts);
            }
        }
        if (!deletes.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(sql.get(entity).delete())) {
                for (RowChange change : deletes) {
                    statement.setString(1, change.sourceId());
                    statement.setString(2, change.externalId());
                    statement.setLong(3, change.sourceVersion());
                    statement.setString(4, syncedAt);
                    statement.addBatch();
                }
                count(entity, Operation.DELETE, statement.executeBatch(), counts);
            }
        }
    }

    private static void bindUpsert(PreparedStatement statement, EntityDefinition entity, RowChange change,
            String syncedAt) throws SQLException {
        int p = 1;
        statement.setString(p++, change.sourceId());
        statement.setString(p++, change.externalId());
        statement.setLong(p++, change.sourceVersion());
        statement.setString(p++, syncedAt);
        List<FieldDefinition> fields = entity.fields();
        for (int i = 0; i < fields.size(); i++) {
            Object value = change.values().get(i);
            if (fields.get(i).isReference()) {
                statement.setString(p++, change.sourceId());
            }
            if (value == null) {
                statement.setNull(p++, Types.VARCHAR);
            } else {
                statement.setString(p++, (String) value);
            }
        }
    }

    private static void count(EntityDefinition entity, Operation op, int[] updates, List<ApplyResult.Count> counts) {
        int applied = 0;
        for (int updated : updates) {
            applied += updated > 0 || updated == PreparedStatement.SUCCESS_NO_INFO ? 1 : 0;
        }
        if (applied > 0) {
            counts.add(new ApplyResult.Count(entity.name(), op, Outcome.APPLIED, applied));
        }
        if (updates.length - applied > 0) {
            counts.add(new ApplyResult.Count(entity.name(), op, Outcome.STALE, updates.length - applied));
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
