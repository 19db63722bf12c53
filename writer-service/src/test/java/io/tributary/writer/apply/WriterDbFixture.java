package io.tributary.writer.apply;

import io.tributary.model.ChangeEvent;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.dialect.sqlite.SqliteDialect;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EventMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A real, migrated SQLite main database in a directory, with the applier over it. */
final class WriterDbFixture implements AutoCloseable {

    final WriterDatabase database;
    final EntityCatalog catalog = EntityCatalog.forum();
    final EventMapper mapper = new EventMapper(catalog);
    final BatchApplier applier;

    WriterDbFixture(Path dir, Duration busyTimeout) {
        database = WriterDatabase.open(new WriterDatabaseProperties("sqlite", dir.resolve("db/main.db"), busyTimeout),
                List.of(new SqliteDialect()));
        applier = new BatchApplier(database, catalog, Clock.systemUTC());
    }

    WriterDbFixture(Path dir) {
        this(dir, Duration.ofSeconds(5));
    }

    ApplyResult apply(ChangeEvent... events) throws SQLException {
        return apply(Arrays.asList(events));
    }

    ApplyResult apply(List<ChangeEvent> events) throws SQLException {
        return applier.apply(events.stream().map(mapper::map).toList());
    }

    /** The row of (forum-sim, externalId), column name to value, or null when absent. */
    Map<String, Object> row(String table, String externalId) throws SQLException {
        List<Map<String, Object>> rows = query("SELECT * FROM " + table + " WHERE source_id = 'forum-sim' AND external_id = '"
                + externalId.replace("'", "''") + "'");
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The row without the columns that legitimately differ between runs (internal id, write time). */
    Map<String, Object> content(String table, String externalId) throws SQLException {
        Map<String, Object> row = row(table, externalId);
        if (row != null) {
            row.remove("id");
            row.remove("synced_at");
            row.remove("external_id");
        }
        return row;
    }

    long id(String table, String externalId) throws SQLException {
        Map<String, Object> row = row(table, externalId);
        if (row == null) {
            throw new AssertionError("no " + table + " row " + externalId);
        }
        return ((Number) row.get("id")).longValue();
    }

    List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    // SQLite returns INTEGER as Integer or Long depending on magnitude: compare as Long.
                    row.put(meta.getColumnName(i), value instanceof Integer n ? Long.valueOf(n) : value);
                }
                rows.add(row);
            }
            return rows;
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
