package io.tributary.writer.apply;

import io.tributary.model.Operation;
import io.tributary.writer.apply.CollapsedBatch.RecordKey;
import io.tributary.writer.dialect.Dialect;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import io.tributary.writer.entity.RowChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a batch of validated changes to the main database in ONE transaction:
 * <ol>
 *   <li>collapse duplicates per record ({@link CollapsedBatch});</li>
 *   <li>per entity, parents first (users, sections, topics, messages), each step sorted by
 *       (source, external id):
 *     <ol>
 *       <li>insert a placeholder row ({@code source_version = 0}, fields null) for every record of this
 *           entity that the batch references and that may not be stored yet (not written earlier in the
 *           batch, nor known to be stored: {@link KnownRows}), so every reference can be
 *           written as a real foreign key; the record's own upsert later fills the placeholder in place,
 *           keeping its internal id;</li>
 *       <li>version-guarded upserts, then final deletes.</li>
 *     </ol>
 *     Each step is one JDBC batch of one prepared statement carrying up to
 *     {@link Dialect#rowsPerStatement()} rows.</li>
 * </ol>
 * Either everything commits or nothing does: a failure rolls back and is thrown, and the caller retries
 * or isolates the culprit. Applying the same changes again, or in another order, ends in the same state.
 *
 * <p>Lock order (several writers on PostgreSQL): every transaction takes its row locks entity by entity
 * in the same entity order, and within an entity's step in key order. Two transactions that lock rows in
 * one global order cannot wait for each other in a cycle, so batches with overlapping keys queue instead of
 * deadlocking; the remaining cycles need the same keys in different steps of two in-flight batches (see
 * docs/decisions/0010), and a deadlock is a transient failure that is retried.
 */
public final class BatchApplier {

    private static final Logger LOG = LoggerFactory.getLogger(BatchApplier.class);
    /**
     * Committed keys remembered per entity to skip their placeholder statements (decision 0013): off in the
     * service. Tombstone retention (0011) deletes rows, possibly from another writer instance, so a
     * remembered key can outlive its row, and a skipped placeholder would then leave a reference null.
     * The benchmarks measure it with the four-argument constructor.
     */
    static final int KNOWN_ROWS_PER_ENTITY = 0;

    private final DataSource dataSource;
    private final CurrentCatalog catalog;
    private final SyncedAtStamps stamps;
    private final Dialect dialect;
    private final Map<StatementKey, String> sql = new ConcurrentHashMap<>();
    private final KnownRows knownRows;

    private enum Kind { PLACEHOLDER, UPSERT, DELETE }

    private record StatementKey(Kind kind, EntityDefinition entity, int rows) {
    }

    /** Binds the parameters of one row, starting at {@code first}; returns the next free index. */
    private interface RowBinder<T> {
        int bind(PreparedStatement statement, int first, T row) throws SQLException;
    }

    public BatchApplier(WriterDatabase database, EntityCatalog catalog, Clock clock) {
        this(database, new CurrentCatalog(catalog), new SyncedAtStamps(clock), KNOWN_ROWS_PER_ENTITY);
    }

    /** Over the catalog the writer applies now, which may be replaced while it runs (decision 0029). */
    public BatchApplier(WriterDatabase database, CurrentCatalog catalog, Clock clock) {
        this(database, catalog, new SyncedAtStamps(clock), KNOWN_ROWS_PER_ENTITY);
    }

    /** As the service runs it: with the process's stamps, which delivery's write-backs take too. */
    public BatchApplier(WriterDatabase database, CurrentCatalog catalog, SyncedAtStamps stamps) {
        this(database, catalog, stamps, KNOWN_ROWS_PER_ENTITY);
    }

    /** @param knownRowsPerEntity committed keys remembered per entity to skip placeholders; 0 = none (benchmarks) */
    public BatchApplier(WriterDatabase database, EntityCatalog catalog, Clock clock, int knownRowsPerEntity) {
        this(database, new CurrentCatalog(catalog), new SyncedAtStamps(clock), knownRowsPerEntity);
    }

    private BatchApplier(WriterDatabase database, CurrentCatalog catalog, SyncedAtStamps stamps,
            int knownRowsPerEntity) {
        this.knownRows = new KnownRows(knownRowsPerEntity);
        this.dataSource = database.dataSource();
        this.catalog = catalog;
        this.stamps = stamps;
        this.dialect = database.dialect();
    }

    /**
     * Applies the changes in one transaction.
     *
     * @throws SQLException after rolling back; nothing of the batch is stored
     */
    public ApplyResult apply(List<RowChange> changes) throws SQLException {
        return apply(catalog.get(), changes);
    }

    /**
     * As {@link #apply(List)}, against {@code catalog}: the one the changes were validated against (a listener takes
     * one catalog per batch, so a catalog replaced meanwhile never mixes into a batch).
     */
    public ApplyResult apply(EntityCatalog catalog, List<RowChange> changes) throws SQLException {
        CollapsedBatch batch = new CollapsedBatch(catalog, changes);
        String syncedAt = stamps.next();
        Map<EntityDefinition, Set<RecordKey>> placeholdersNeeded = placeholdersNeeded(catalog, batch);
        List<ApplyResult.Count> counts = new ArrayList<>();
        int placeholders = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (Map.Entry<EntityDefinition, List<RowChange>> entry : batch.byEntity().entrySet()) {
                    EntityDefinition entity = entry.getKey();
                    Set<RecordKey> keys = placeholdersNeeded.get(entity);
                    if (keys != null) {
                        placeholders += execute(connection, Kind.PLACEHOLDER, entity, sorted(keys),
                                (statement, p, key) -> {
                                    statement.setString(p, key.sourceId());
                                    statement.setString(p + 1, key.externalId());
                                    statement.setString(p + 2, syncedAt);
                                    return p + 3;
                                });
                    }
                    writeEntity(connection, entity, entry.getValue(), syncedAt, counts);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        }
        // Committed: every key of the batch and every placeholder now has a row, for good.
        batch.byEntity().keySet().forEach(entity -> knownRows.addAll(entity, batch.keys(entity)));
        placeholdersNeeded.forEach(knownRows::addAll);
        batch.duplicates().forEach((entity, byOp) -> byOp.forEach((op, n) ->
                counts.add(new ApplyResult.Count(entity, op, Outcome.DUPLICATE, n))));
        ApplyResult result = new ApplyResult(counts, placeholders);
        LOG.debug("Applied batch of {} change(s): {} applied, {} stale, {} duplicate, {} placeholder(s) created",
                changes.size(), result.total(Outcome.APPLIED), result.total(Outcome.STALE),
                result.total(Outcome.DUPLICATE), placeholders);
        return result;
    }

    /** Per referenced entity, the keys the batch references that are not written before their referrers. */
    private Map<EntityDefinition, Set<RecordKey>> placeholdersNeeded(EntityCatalog catalog, CollapsedBatch batch) {
        Map<EntityDefinition, Set<RecordKey>> missing = new LinkedHashMap<>();
        for (Map.Entry<EntityDefinition, List<RowChange>> entry : batch.byEntity().entrySet()) {
            EntityDefinition entity = entry.getKey();
            for (FieldDefinition ref : entity.references()) {
                EntityDefinition target = catalog.get(ref.references());
                // A record of an earlier entity in this batch is written before its referrers: no placeholder.
                boolean targetWrittenFirst = catalog.order(target) < catalog.order(entity);
                for (RowChange change : entry.getValue()) {
                    Object externalId = change.op() == Operation.UPSERT ? change.value(ref.name()) : null;
                    if (externalId == null) {
                        continue;
                    }
                    RecordKey key = new RecordKey(change.sourceId(), (String) externalId);
                    if (!(targetWrittenFirst && batch.contains(target, key)) && !knownRows.contains(target, key)) {
                        missing.computeIfAbsent(target, t -> new HashSet<>()).add(key);
                    }
                }
            }
        }
        return missing;
    }

    /** In lock order: the placeholders of an entity are inserted sorted by key, as its changes are. */
    private static List<RecordKey> sorted(Set<RecordKey> keys) {
        List<RecordKey> sorted = new ArrayList<>(keys);
        Collections.sort(sorted);
        return sorted;
    }

    private void writeEntity(Connection connection, EntityDefinition entity, Iterable<RowChange> changes,
            String syncedAt, List<ApplyResult.Count> counts) throws SQLException {
        List<RowChange> upserts = new ArrayList<>();
        List<RowChange> deletes = new ArrayList<>();
        for (RowChange change : changes) {
            (change.op() == Operation.UPSERT ? upserts : deletes).add(change);
        }
        if (!upserts.isEmpty()) {
            int written = execute(connection, Kind.UPSERT, entity, upserts,
                    (statement, p, change) -> bindUpsert(statement, p, entity, change, syncedAt));
            count(entity, Operation.UPSERT, upserts.size(), written, counts);
        }
        if (!deletes.isEmpty()) {
            int written = execute(connection, Kind.DELETE, entity, deletes, (statement, p, change) -> {
                statement.setString(p, change.sourceId());
                statement.setString(p + 1, change.externalId());
                statement.setLong(p + 2, change.sourceVersion());
                statement.setString(p + 3, syncedAt);
                return p + 4;
            });
            count(entity, Operation.DELETE, deletes.size(), written, counts);
        }
    }

    /**
     * Runs one kind of statement over the rows, {@link Dialect#rowsPerStatement()} rows per statement, as
     * one JDBC batch (full statements) plus one statement for the remainder.
     *
     * @return the rows written (a driver that reports no counts counts as all)
     */
    private <T> int execute(Connection connection, Kind kind, EntityDefinition entity, List<T> rows,
            RowBinder<T> binder) throws SQLException {
        int perStatement = Math.min(dialect.rowsPerStatement(), rows.size());
        int full = rows.size() / perStatement * perStatement;
        int written = 0;
        if (full > 0) {
            try (PreparedStatement statement = connection.prepareStatement(sql(kind, entity, perStatement))) {
                for (int from = 0; from < full; from += perStatement) {
                    int p = 1;
                    for (T row : rows.subList(from, from + perStatement)) {
                        p = binder.bind(statement, p, row);
                    }
                    statement.addBatch();
                }
                written += written(statement.executeBatch(), perStatement);
            }
        }
        if (full < rows.size()) {
            List<T> rest = rows.subList(full, rows.size());
            try (PreparedStatement statement = connection.prepareStatement(sql(kind, entity, rest.size()))) {
                int p = 1;
                for (T row : rest) {
                    p = binder.bind(statement, p, row);
                }
                int updated = statement.executeUpdate();
                written += updated == PreparedStatement.SUCCESS_NO_INFO ? rest.size() : updated;
            }
        }
        return written;
    }

    private String sql(Kind kind, EntityDefinition entity, int rows) {
        return sql.computeIfAbsent(new StatementKey(kind, entity, rows), k -> switch (k.kind()) {
            case PLACEHOLDER -> dialect.insertPlaceholder(k.entity(), k.rows());
            case UPSERT -> dialect.upsert(k.entity(), k.rows());
            case DELETE -> dialect.delete(k.entity(), k.rows());
        });
    }

    private static int written(int[] updates, int rowsPerStatement) {
        int written = 0;
        for (int updated : updates) {
            written += updated == PreparedStatement.SUCCESS_NO_INFO ? rowsPerStatement : Math.max(0, updated);
        }
        return written;
    }

    private static int bindUpsert(PreparedStatement statement, int first, EntityDefinition entity, RowChange change,
            String syncedAt) throws SQLException {
        int p = first;
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
            // The types EventMapper produces; a null takes the column's type (PostgreSQL: unspecified).
            if (value == null) {
                statement.setNull(p++, Types.NULL);
            } else if (value instanceof String text) {
                statement.setString(p++, text);
            } else if (value instanceof Long number) {
                statement.setLong(p++, number);
            } else if (value instanceof Double number) {
                statement.setDouble(p++, number);
            } else if (value instanceof Boolean bool) {
                statement.setInt(p++, bool ? 1 : 0);
            } else {
                throw new IllegalStateException("EventMapper produced a " + value.getClass().getName());
            }
        }
        return p;
    }

    private static void count(EntityDefinition entity, Operation op, int events, int written,
            List<ApplyResult.Count> counts) {
        if (written > 0) {
            counts.add(new ApplyResult.Count(entity.name(), op, Outcome.APPLIED, written));
        }
        if (events - written > 0) {
            counts.add(new ApplyResult.Count(entity.name(), op, Outcome.STALE, events - written));
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
