package io.tributary.writer.dialect;

import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import io.tributary.writer.entity.FieldType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The writer's three statements in the {@code INSERT ... ON CONFLICT (source_id, external_id) DO ...}
 * form that SQLite and PostgreSQL both accept, for any number of rows (multi-row {@code VALUES}). The only
 * spelling that differs, "the larger of two values", is the dialect's ({@code max} / {@code GREATEST}).
 * Parameters are described on {@link Dialect}.
 */
public final class UpsertStatements {

    private UpsertStatements() {
    }

    /** Placeholder rows: the key only, {@code source_version = 0}; an existing row is left alone. */
    public static String insertPlaceholder(EntityDefinition entity, int rows) {
        return "INSERT INTO " + entity.name() + " (source_id, external_id, source_version, deleted, synced_at)"
                + " VALUES " + repeat("(?, ?, 0, 0, ?)", rows) + " ON CONFLICT (source_id, external_id) DO NOTHING";
    }

    /** Version-guarded upserts; a reference is resolved to the internal id by a sub-select. */
    public static String upsert(EntityDefinition entity, int rows) {
        return upsert(entity, rows, "?");
    }

    /** As {@link #upsert(EntityDefinition, int)}, a JSON column's value written as {@code jsonParameter}. */
    public static String upsert(EntityDefinition entity, int rows, String jsonParameter) {
        String table = entity.name();
        List<String> columns = new ArrayList<>(List.of("source_id", "external_id", "source_version", "deleted",
                "synced_at"));
        List<String> values = new ArrayList<>(List.of("?", "?", "?", "0", "?"));
        List<String> updates = new ArrayList<>(List.of("source_version = excluded.source_version",
                "synced_at = excluded.synced_at"));
        for (FieldDefinition field : entity.fields()) {
            columns.add(field.name());
            values.add(field.isReference()
                    ? "(SELECT id FROM " + field.references() + " WHERE source_id = ? AND external_id = ?)"
                    : field.type() == FieldType.JSON ? jsonParameter : "?");
            updates.add(field.name() + " = excluded." + field.name());
        }
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ")"
                + " VALUES " + repeat("(" + String.join(", ", values) + ")", rows)
                + " ON CONFLICT (source_id, external_id) DO UPDATE SET " + String.join(", ", updates)
                + " WHERE excluded.source_version > " + table + ".source_version AND " + table + ".deleted = 0";
    }

    /** Final deletes: {@code deleted = 1}, the larger version kept; {@code greatest} is the dialect's function. */
    public static String delete(EntityDefinition entity, int rows, String greatest) {
        String table = entity.name();
        return "INSERT INTO " + table + " (source_id, external_id, source_version, deleted, synced_at)"
                + " VALUES " + repeat("(?, ?, ?, 1, ?)", rows)
                + " ON CONFLICT (source_id, external_id) DO UPDATE SET deleted = 1,"
                + " source_version = " + greatest + "(" + table + ".source_version, excluded.source_version),"
                + " synced_at = excluded.synced_at"
                + " WHERE " + table + ".deleted = 0 OR excluded.source_version > " + table + ".source_version";
    }

    private static String repeat(String row, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("A statement writes at least one row, asked for " + rows);
        }
        return String.join(", ", Collections.nCopies(rows, row));
    }
}
