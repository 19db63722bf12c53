package io.tributary.writer.schema;

import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a two-way entity's table needs so that the application's own changes can be captured (issue 6,
 * decision 0024): a nullable {@code external_id} (a row the application creates has none until delivery stores
 * the source's), and on SQLite the changelog table {@value #CHANGELOG} fed by triggers, on PostgreSQL
 * {@code REPLICA IDENTITY FULL} (Debezium then sees every column before and after an update).
 *
 * <p>The triggers implement the echo rule: a write is the application's, and captured, iff it leaves the
 * writer's own columns ({@code source_version}, {@code external_id}, {@code synced_at}) as they were —
 * <ul>
 *   <li>an INSERT with {@code external_id IS NULL}: CREATE;</li>
 *   <li>an UPDATE of a live row that changes a configured column: UPDATE; that sets {@code deleted} 0 → 1: DELETE;</li>
 *   <li>a hard DELETE of a live row that has an external id: DELETE (the tombstone purge removes only rows
 *       already marked deleted, so it is never captured).</li>
 * </ul>
 * Every write of the writer inserts with an external id, or changes {@code source_version} (an applied upsert)
 * or {@code synced_at} (every upsert and delete), so none is captured: no echo.
 */
final class TwoWayTables {

    static final String CHANGELOG = "tributary_changelog";
    /** One row: a random id given to the changelog when it is created, so a capture notices a replaced file. */
    static final String CHANGELOG_ORIGIN = "tributary_changelog_origin";
    /** The changed_at spelling both the trigger and the capture use: ISO-8601, UTC, milliseconds. */
    private static final String NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    private TwoWayTables() {
    }

    /** The external id of a two-way entity must allow NULL; PostgreSQL can drop the constraint, SQLite cannot. */
    static void allowLocalCreates(Connection connection, Statement statement, String dialect, EntityDefinition entity)
            throws SQLException {
        if (!externalIdIsNotNull(connection.getMetaData(), entity.name())) {
            return;
        }
        if (dialect.equals("postgresql")) {
            statement.execute("ALTER TABLE " + entity.name() + " ALTER COLUMN external_id DROP NOT NULL");
            return;
        }
        throw new IllegalStateException("Entity '" + entity.name() + "' is configured two-way, but its table was"
                + " created one-way, with external_id NOT NULL, and SQLite cannot drop a NOT NULL constraint in place."
                + " Rebuild the table with a nullable external_id (docs/configuration.md, \"Two-way entities\"), or"
                + " remove two-way from the entity.");
    }

    /** The DDL that makes the application's changes to {@code entity} capturable, after its table exists. */
    static List<String> captureDdl(String dialect, EntityDefinition entity) {
        if (dialect.equals("postgresql")) {
            return List.of("ALTER TABLE " + entity.name() + " REPLICA IDENTITY FULL");
        }
        List<String> ddl = new ArrayList<>();
        ddl.add(changelogTable());
        ddl.add("CREATE TABLE IF NOT EXISTS " + CHANGELOG_ORIGIN + " (id TEXT NOT NULL)");
        ddl.add("INSERT INTO " + CHANGELOG_ORIGIN + " (id) SELECT lower(hex(randomblob(16)))"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + CHANGELOG_ORIGIN + ")");
        // Regenerated at every start: the JSON of the fields follows the configured columns.
        for (String trigger : List.of("insert", "update", "delete")) {
            ddl.add("DROP TRIGGER IF EXISTS " + triggerName(entity, trigger));
        }
        ddl.addAll(sqliteTriggers(entity));
        return ddl;
    }

    /**
     * AUTOINCREMENT: a sequence number is never reused, even after the capture purged every row, so a position
     * the capture stored is never behind a new change.
     */
    static String changelogTable() {
        return "CREATE TABLE IF NOT EXISTS " + CHANGELOG + " (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " entity TEXT NOT NULL, row_id INTEGER NOT NULL,"
                + " op TEXT NOT NULL CHECK (op IN ('CREATE', 'UPDATE', 'DELETE')), source_id TEXT NOT NULL,"
                + " external_id TEXT, base_version INTEGER NOT NULL, changed_at TEXT NOT NULL, fields TEXT NOT NULL)";
    }

    static List<String> sqliteTriggers(EntityDefinition entity) {
        String table = entity.name();
        String insert = "INSERT INTO " + CHANGELOG
                + " (entity, row_id, op, source_id, external_id, base_version, changed_at, fields) VALUES ";
        List<String> changed = new ArrayList<>();
        for (FieldDefinition field : entity.fields()) {
            changed.add("NEW." + field.name() + " IS NOT OLD." + field.name());
        }
        return List.of(
                "CREATE TRIGGER " + triggerName(entity, "insert") + " AFTER INSERT ON " + table
                        + " WHEN NEW.external_id IS NULL BEGIN " + insert + "('" + table + "', NEW.id, 'CREATE',"
                        + " NEW.source_id, NULL, NEW.source_version, " + NOW + ", " + fieldsJson(entity) + "); END",
                "CREATE TRIGGER " + triggerName(entity, "update") + " AFTER UPDATE ON " + table
                        + " WHEN OLD.deleted = 0 AND NEW.source_version IS OLD.source_version"
                        + " AND NEW.external_id IS OLD.external_id AND NEW.synced_at IS OLD.synced_at"
                        + " AND (NEW.deleted = 1 OR " + String.join(" OR ", changed) + ") BEGIN " + insert
                        + "('" + table + "', NEW.id, CASE WHEN NEW.deleted = 1 THEN 'DELETE' ELSE 'UPDATE' END,"
                        + " NEW.source_id, NEW.external_id, OLD.source_version, " + NOW + ","
                        + " CASE WHEN NEW.deleted = 1 THEN '{}' ELSE " + fieldsJson(entity) + " END); END",
                "CREATE TRIGGER " + triggerName(entity, "delete") + " AFTER DELETE ON " + table
                        + " WHEN OLD.deleted = 0 AND OLD.external_id IS NOT NULL BEGIN " + insert + "('" + table
                        + "', OLD.id, 'DELETE', OLD.source_id, OLD.external_id, OLD.source_version, " + NOW
                        + ", '{}'); END");
    }

    static String triggerName(EntityDefinition entity, String event) {
        return "tributary_capture_" + entity.name() + "_" + event;
    }

    /** The configured columns as stored (a reference is the referenced row's local id); delivery maps them. */
    private static String fieldsJson(EntityDefinition entity) {
        List<String> pairs = new ArrayList<>();
        for (FieldDefinition field : entity.fields()) {
            pairs.add("'" + field.name() + "', NEW." + field.name());
        }
        return "json_object(" + String.join(", ", pairs) + ")";
    }

    private static boolean externalIdIsNotNull(DatabaseMetaData metadata, String table) throws SQLException {
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = metadata.getColumns(null, null, name, null)) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if ((schema == null || schema.equals("public") || schema.equals("main"))
                            && rs.getString("COLUMN_NAME").equalsIgnoreCase("external_id")) {
                        return rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls;
                    }
                }
            }
        }
        return false;
    }
}
