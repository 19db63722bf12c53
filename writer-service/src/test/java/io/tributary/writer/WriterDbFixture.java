package io.tributary.writer;

import io.tributary.model.ChangeEvent;
import io.tributary.writer.apply.ApplyResult;
import io.tributary.writer.apply.BatchApplier;
import io.tributary.writer.dialect.Dialect;
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

/** A real, migrated main database (any dialect), with the applier over it. */
public final class WriterDbFixture implements AutoCloseable {

    public final WriterDatabase database;
    public final EntityCatalog catalog;
    public final EventMapper mapper;
    public final BatchApplier applier;

    public WriterDbFixture(WriterDatabaseProperties properties, Dialect dialect) {
        this(properties, dialect, EntityCatalog.forum());
    }

    /** With a catalog of configured entities too; their tables are not created here (see EntityTables). */
    public WriterDbFixture(WriterDatabaseProperties properties, Dialect dialect, EntityCatalog catalog) {
        this(properties, dialect, catalog, Clock.systemUTC());
    }

    /** With the applier's clock given (a fixed clock puts every batch in the same tick). */
    public WriterDbFixture(WriterDatabaseProperties properties, Dialect dialect, EntityCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.mapper = new EventMapper(catalog);
        database = WriterDatabase.open(properties, List.of(dialect));
        applier = new BatchApplier(database, catalog, clock);
    }

    /** A SQLite file under {@code dir}. */
    public static WriterDbFixture sqlite(Path dir) {
        return new WriterDbFixture(WriterDatabaseProperties.sqlite(dir.resolve("db/main.db"), Duration.ofSeconds(5)),
                new SqliteDialect());
    }

    public ApplyResult apply(ChangeEvent... events) throws SQLException {
        return apply(Arrays.asList(events));
    }

    public ApplyResult apply(List<ChangeEvent> events) throws SQLException {
        return applier.apply(events.stream().map(mapper::map).toList());
    }

    /** The row of (forum-sim, externalId), column name to value, or null when absent. */
    public Map<String, Object> row(String table, String externalId) throws SQLException {
        List<Map<String, Object>> rows = query("SELECT * FROM " + table + " WHERE source_id = 'forum-sim' AND external_id = '"
                + externalId.replace("'", "''") + "'");
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The row without the columns that legitimately differ between runs (internal id, write time). */
    public Map<String, Object> content(String table, String externalId) throws SQLException {
        Map<String, Object> row = row(table, externalId);
        if (row != null) {
            row.remove("id");
            row.remove("synced_at");
            row.remove("external_id");
        }
        return row;
    }

    public long id(String table, String externalId) throws SQLException {
        Map<String, Object> row = row(table, externalId);
        if (row == null) {
            throw new AssertionError("no " + table + " row " + externalId);
        }
        return ((Number) row.get("id")).longValue();
    }

    public List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    // SQLite returns INTEGER as Integer or Long depending on magnitude, PostgreSQL SMALLINT as
                    // Integer: compare every integer as Long.
                    boolean integer = value instanceof Integer || value instanceof Short;
                    row.put(meta.getColumnName(i), integer ? Long.valueOf(((Number) value).longValue()) : value);
                }
                rows.add(row);
            }
            return rows;
        }
    }

    public void execute(String... statements) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** References (of any table) that point to no row: always none with real foreign keys. */
    public long danglingReferences() throws SQLException {
        long dangling = 0;
        for (var entity : catalog.definitions()) {
            for (var ref : entity.references()) {
                dangling += ((Number) query("SELECT COUNT(*) AS n FROM " + entity.name() + " c LEFT JOIN "
                        + ref.references() + " p ON c." + ref.name() + " = p.id WHERE c." + ref.name()
                        + " IS NOT NULL AND p.id IS NULL").get(0).get("n")).longValue();
            }
        }
        return dangling;
    }

    @Override
    public void close() {
        database.close();
    }
}
