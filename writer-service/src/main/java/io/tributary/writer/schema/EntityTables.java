package io.tributary.writer.schema;

import io.tributary.writer.dialect.Dialect;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import io.tributary.writer.entity.FieldType;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates or evolves the tables of configured entities, in one transaction (both products have
 * transactional DDL): a missing table is created with the same shape as the forum's (bookkeeping columns,
 * {@code UNIQUE (source_id, external_id)}, foreign keys and indexes for references, a placeholder index);
 * a missing column is added (nullable: rows written before it have no value); a column whose stored type
 * belongs to another family than the configured one (text, integer, real, json) fails the start, naming it.
 * Used at start for {@code tributary.writer.entities} and while running for the targets of source definitions
 * (decision 0029); on PostgreSQL the transaction first takes the dialect's schema lock, so writers evolving the
 * same tables at the same moment take turns.
 */
public final class EntityTables {

    private static final Logger LOG = LoggerFactory.getLogger(EntityTables.class);
    private static final Set<String> TEXT = Set.of("text", "varchar", "character varying", "clob");
    private static final Set<String> INTEGER = Set.of("integer", "int", "int2", "int4", "int8", "bigint", "smallint",
            "bigserial", "serial");
    private static final Set<String> REAL = Set.of("real", "float4", "float8", "double", "double precision", "float",
            "numeric");
    private static final Set<String> JSON = Set.of("json", "jsonb");

    /** What one evolution did, for logs and tests. */
    public record Changes(List<String> createdTables, List<String> addedColumns, List<String> keptColumns) {
    }

    private final DataSource dataSource;
    private final Dialect dialect;

    public EntityTables(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    public Changes evolve(List<EntityDefinition> entities) throws SQLException {
        return evolve(entities, Set.of());
    }

    /**
     * As {@link #evolve(List)}; the tables of {@code twoWay} entities are also prepared for capture of the
     * application's changes ({@link TwoWayTables}, decision 0024).
     */
    public Changes evolve(List<EntityDefinition> entities, Set<String> twoWay) throws SQLException {
        return evolve(entities, twoWay, true);
    }

    /**
     * As {@link #evolve(List, Set)}, for a writer learning its entities while it runs (decision 0029): one
     * definition at a time, so a column of the table it does not name is not reported as unconfigured (another
     * definition may name it); such columns are kept all the same.
     */
    public Changes evolveOne(EntityDefinition entity, boolean twoWay) throws SQLException {
        return evolve(List.of(entity), twoWay ? Set.of(entity.name()) : Set.of(), false);
    }

    private Changes evolve(List<EntityDefinition> entities, Set<String> twoWay, boolean reportKept)
            throws SQLException {
        List<String> created = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                if (dialect.schemaLock().isPresent()) {
                    statement.execute(dialect.schemaLock().get()); // another writer evolving the same tables waits
                }
                for (EntityDefinition entity : entities) {
                    Map<String, String> columns = columns(connection.getMetaData(), entity.name());
                    boolean capture = twoWay.contains(entity.name());
                    if (columns.isEmpty()) {
                        for (String ddl : createTable(entity, capture)) {
                            statement.execute(ddl);
                        }
                        created.add(entity.name());
                        captureDdl(statement, entity, capture);
                        continue;
                    }
                    for (FieldDefinition field : entity.fields()) {
                        String stored = columns.remove(field.name());
                        if (stored == null) {
                            statement.execute("ALTER TABLE " + entity.name() + " ADD COLUMN " + columnDefinition(field));
                            if (field.isReference()) {
                                statement.execute(index(entity, field));
                            }
                            added.add(entity.name() + "." + field.name());
                        } else if (!sameFamily(field.type(), stored)) {
                            throw new IllegalStateException("Entity '" + entity.name() + "': column '" + field.name()
                                    + "' is " + stored.toUpperCase(Locale.ROOT) + " in the main database but configured as "
                                    + field.type().name().toLowerCase(Locale.ROOT) + ". The writer never changes or drops a"
                                    + " column: migrate it yourself, or configure the field under a new name.");
                        }
                    }
                    if (capture) {
                        TwoWayTables.allowLocalCreates(connection, statement, dialect.name(), entity);
                    }
                    captureDdl(statement, entity, capture);
                    columns.keySet().removeAll(Set.of("id", "source_id", "external_id", "source_version", "deleted",
                            "synced_at"));
                    columns.keySet().forEach(column -> kept.add(entity.name() + "." + column));
                }
            } catch (SQLException | RuntimeException e) {
                connection.rollback(); // nothing half-done: a running writer goes on with the tables as they were
                connection.setAutoCommit(autoCommit);
                throw e;
            }
            connection.commit();
            connection.setAutoCommit(autoCommit);
        }
        if (!twoWay.isEmpty()) {
            LOG.info("Main database: the application's changes to {} are captured for two-way sync", twoWay);
        }
        if (!created.isEmpty() || !added.isEmpty()) {
            LOG.info("Main database: created tables {}, added columns {} for configured or defined entities", created, added);
        }
        if (!kept.isEmpty() && reportKept) {
            LOG.warn("Main database: columns {} are no longer configured; kept with their data (never dropped)", kept);
        }
        return new Changes(created, added, kept);
    }

    private void captureDdl(Statement statement, EntityDefinition entity, boolean capture) throws SQLException {
        if (capture) {
            for (String ddl : TwoWayTables.captureDdl(dialect.name(), entity)) {
                statement.execute(ddl);
            }
        }
    }

    /** A two-way entity's external id may be NULL: a row the application created, not delivered yet. */
    private List<String> createTable(EntityDefinition entity, boolean twoWay) {
        List<String> columns = new ArrayList<>(List.of(
                "id " + dialect.identityColumn(),
                "source_id TEXT NOT NULL",
                twoWay ? "external_id TEXT" : "external_id TEXT NOT NULL",
                "source_version " + dialect.columnType(FieldType.INTEGER) + " NOT NULL",
                "deleted " + dialect.columnType(FieldType.BOOLEAN) + " NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))",
                "synced_at TEXT NOT NULL"));
        entity.fields().forEach(field -> columns.add(columnDefinition(field)));
        columns.add("UNIQUE (source_id, external_id)");
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE " + entity.name() + " (" + String.join(", ", columns) + ")");
        entity.references().forEach(field -> ddl.add(index(entity, field)));
        ddl.add("CREATE INDEX IF NOT EXISTS " + entity.name() + "_placeholders ON " + entity.name()
                + " (id) WHERE source_version = 0");
        return ddl;
    }

    /** Nullable: a placeholder row has no fields, and rows written before an added column have no value. */
    private String columnDefinition(FieldDefinition field) {
        String definition = field.name() + " " + dialect.columnType(field.type());
        return field.isReference() ? definition + " REFERENCES " + field.references() + " (id)" : definition;
    }

    private static String index(EntityDefinition entity, FieldDefinition field) {
        return "CREATE INDEX IF NOT EXISTS " + entity.name() + "_" + field.name() + " ON " + entity.name()
                + " (" + field.name() + ")";
    }

    /** Column name → type name, lower case; empty if the table does not exist. */
    private static Map<String, String> columns(DatabaseMetaData metadata, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = metadata.getColumns(null, null, name, null)) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema == null || schema.equals("public") || schema.equals("main")) {
                        columns.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                                rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            if (!columns.isEmpty()) {
                break;
            }
        }
        return columns;
    }

    private static boolean sameFamily(FieldType type, String stored) {
        String base = stored.replaceAll("\\(.*", "").trim();
        return switch (type) {
            case TEXT, TIMESTAMP -> TEXT.contains(base);
            case REFERENCE, INTEGER, BOOLEAN -> INTEGER.contains(base);
            case NUMBER -> REAL.contains(base);
            case JSON -> JSON.contains(base) || TEXT.contains(base); // SQLite keeps JSON as TEXT
        };
    }
}
