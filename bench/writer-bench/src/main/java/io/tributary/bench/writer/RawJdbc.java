package io.tributary.bench.writer;

import io.tributary.writer.dialect.UpsertStatements;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.dialect.sqlite.SqliteDialect;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import io.tributary.writer.entity.RowChange;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The physical limit beside the writer: the same rows written with plain JDBC into an empty SQLite file with
 * the writer's schema and connection settings (WAL, synchronous=NORMAL, foreign keys on), one transaction per
 * {@code batch} rows, one JDBC batch of one reused prepared statement per entity run, rows in arrival order
 * (parents first). No Kafka, no JSON, no collapsing, no placeholders. Two variants:
 * <ul>
 *   <li>{@link #writerStatements}: the writer's own version-guarded upsert statement (references resolved
 *       by sub-selects) — the limit for the writer's SQL;</li>
 *   <li>{@link #plainInserts}: plain {@code INSERT}s with the internal ids assigned and references resolved
 *       in Java — the floor of what SQLite needs to store these rows with these indexes.</li>
 * </ul>
 */
final class RawJdbc {

    private RawJdbc() {
    }

    /** An empty main database migrated by the writer's own Flyway scripts. */
    static WriterDatabase emptyDatabase(Path file) {
        return WriterDatabase.open(WriterDatabaseProperties.sqlite(file, Duration.ofSeconds(5)), List.of(new SqliteDialect()));
    }

    /** @return rows written */
    static long writerStatements(WriterDatabase database, List<RowChange> rows, int batch) throws SQLException {
        String syncedAt = Instant.now().toString();
        Map<EntityDefinition, String> sql = new HashMap<>();
        long written = 0;
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            Map<EntityDefinition, PreparedStatement> statements = new HashMap<>();
            try {
                for (int from = 0; from < rows.size(); from += batch) {
                    List<RowChange> chunk = rows.subList(from, Math.min(rows.size(), from + batch));
                    EntityDefinition current = null;
                    PreparedStatement statement = null;
                    for (RowChange row : chunk) {
                        if (row.entity() != current) {
                            if (statement != null) {
                                written += sum(statement.executeBatch());
                            }
                            current = row.entity();
                            EntityDefinition entity = current;
                            statement = statements.computeIfAbsent(entity, e -> prepare(connection,
                                    sql.computeIfAbsent(e, d -> UpsertStatements.upsert(d, 1))));
                        }
                        int p = 1;
                        statement.setString(p++, row.sourceId());
                        statement.setString(p++, row.externalId());
                        statement.setLong(p++, row.sourceVersion());
                        statement.setString(p++, syncedAt);
                        List<FieldDefinition> fields = current.fields();
                        for (int i = 0; i < fields.size(); i++) {
                            if (fields.get(i).isReference()) {
                                statement.setString(p++, row.sourceId());
                            }
                            bind(statement, p++, row.values().get(i));
                        }
                        statement.addBatch();
                    }
                    if (statement != null) {
                        written += sum(statement.executeBatch());
                    }
                    connection.commit();
                }
            } finally {
                for (PreparedStatement s : statements.values()) {
                    s.close();
                }
            }
        }
        return written;
    }

    /** @return rows written */
    static long plainInserts(WriterDatabase database, EntityCatalog catalog, List<RowChange> rows, int batch)
            throws SQLException {
        String syncedAt = Instant.now().toString();
        Map<String, Map<String, Long>> ids = new HashMap<>();
        Map<EntityDefinition, PreparedStatement> statements = new HashMap<>();
        long written = 0;
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (int from = 0; from < rows.size(); from += batch) {
                    List<RowChange> chunk = rows.subList(from, Math.min(rows.size(), from + batch));
                    EntityDefinition current = null;
                    PreparedStatement statement = null;
                    for (RowChange row : chunk) {
                        if (row.entity() != current) {
                            if (statement != null) {
                                written += sum(statement.executeBatch());
                            }
                            current = row.entity();
                            statement = statements.computeIfAbsent(current, e -> prepare(connection, insert(e)));
                        }
                        Map<String, Long> own = ids.computeIfAbsent(current.name(), e -> new HashMap<>());
                        long id = own.size() + 1L;
                        own.put(row.externalId(), id);
                        int p = 1;
                        statement.setLong(p++, id);
                        statement.setString(p++, row.sourceId());
                        statement.setString(p++, row.externalId());
                        statement.setLong(p++, row.sourceVersion());
                        statement.setString(p++, syncedAt);
                        List<FieldDefinition> fields = current.fields();
                        for (int i = 0; i < fields.size(); i++) {
                            Object value = row.values().get(i);
                            FieldDefinition field = fields.get(i);
                            if (field.isReference()) {
                                Long target = value == null ? null : ids.getOrDefault(field.references(), Map.of()).get(value);
                                if (target == null) {
                                    statement.setNull(p++, Types.INTEGER);
                                } else {
                                    statement.setLong(p++, target);
                                }
                            } else {
                                bind(statement, p++, value);
                            }
                        }
                        statement.addBatch();
                    }
                    if (statement != null) {
                        written += sum(statement.executeBatch());
                    }
                    connection.commit();
                }
            } finally {
                for (PreparedStatement s : statements.values()) {
                    s.close();
                }
            }
        }
        return written;
    }

    private static String insert(EntityDefinition entity) {
        List<String> columns = new java.util.ArrayList<>(List.of("id", "source_id", "external_id", "source_version",
                "synced_at"));
        entity.fields().forEach(f -> columns.add(f.name()));
        return "INSERT INTO " + entity.name() + " (" + String.join(", ", columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }

    private static PreparedStatement prepare(Connection connection, String sql) {
        try {
            return connection.prepareStatement(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare " + sql, e);
        }
    }

    private static void bind(PreparedStatement statement, int p, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(p, Types.VARCHAR);
        } else {
            statement.setString(p, (String) value);
        }
    }

    private static long sum(int[] counts) {
        long n = 0;
        for (int c : counts) {
            n += Math.max(0, c);
        }
        return n;
    }
}
