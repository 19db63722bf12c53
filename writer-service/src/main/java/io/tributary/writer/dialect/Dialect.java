package io.tributary.writer.dialect;

import io.tributary.writer.entity.FieldType;
import io.tributary.writer.entity.EntityDefinition;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What differs between database products: how to connect, the SQL the applier runs, how many rows one
 * statement carries, and which failures are transient. One implementation per product ({@code sqlite},
 * {@code postgresql}), chosen by {@code tributary.writer.database.dialect}; the schema lives in Flyway
 * migrations under {@code db/writer/{name}}. {@link UpsertStatements} builds the statements both share.
 *
 * <p>Each statement writes {@code rows} rows; its parameters are those of one row, repeated per row:
 * <ul>
 *   <li>{@link #insertPlaceholder}: source_id, external_id, synced_at</li>
 *   <li>{@link #upsert}: source_id, external_id, source_version, synced_at, then one parameter per field
 *       in definition order, except a reference, which takes two: the source_id and the external id of the
 *       referenced record (null for an absent optional reference)</li>
 *   <li>{@link #delete}: source_id, external_id, source_version, synced_at</li>
 * </ul>
 * A statement's update count is the number of rows it wrote (the rest changed nothing).
 */
public interface Dialect {

    /** The configuration value selecting this dialect, also the migrations folder name. */
    String name();

    /** The pool of connections to the main database (exactly one for a single-writer database). */
    DataSource createDataSource(WriterDatabaseProperties properties);

    /**
     * The most rows one statement writes (multi-row {@code VALUES}); 1 = one row per statement. Statements
     * are sent as one JDBC batch either way.
     */
    int rowsPerStatement();

    /** Inserts placeholder rows ({@code source_version = 0}, every field null) unless the row exists. */
    default String insertPlaceholder(EntityDefinition entity, int rows) {
        return UpsertStatements.insertPlaceholder(entity, rows);
    }

    /**
     * Inserts each row, or updates it when the event is newer than the stored version and the row is not
     * deleted; references are written as internal ids.
     */
    default String upsert(EntityDefinition entity, int rows) {
        return UpsertStatements.upsert(entity, rows, jsonParameter());
    }

    /**
     * The parameter of a {@link FieldType#JSON} column, bound as the value's JSON text: {@code ?} where the
     * column is text, a cast where the product has a JSON type the text must become ({@code CAST(? AS jsonb)}).
     */
    default String jsonParameter() {
        return "?";
    }

    /**
     * A statement that makes concurrent schema changes of several writer instances wait for each other, run first
     * in the transaction that creates or evolves tables ({@code io.tributary.writer.schema.EntityTables}); empty
     * when only one writer can own the database.
     */
    default java.util.Optional<String> schemaLock() {
        return java.util.Optional.empty();
    }

    /**
     * Marks each row deleted (inserting a tombstone if it is unknown), keeping its internal id and fields;
     * the stored version becomes the larger of the stored and the event's.
     */
    default String delete(EntityDefinition entity, int rows) {
        return UpsertStatements.delete(entity, rows, greatestFunction());
    }

    /**
     * The column type of a payload field in a table the writer creates for a configured entity
     * ({@code io.tributary.writer.schema}); a reference is the referenced row's internal id.
     */
    String columnType(FieldType type);

    /** The internal key column's definition, e.g. {@code INTEGER PRIMARY KEY} (SQLite's rowid). */
    String identityColumn();

    /** This product's spelling of the two-argument maximum: {@code GREATEST} in PostgreSQL, {@code max} in SQLite. */
    String greatestFunction();

    /**
     * Whether several writer instances (one consumer group, partitions split between them) may write this
     * database at once. False for a file-based database that only one process can own (SQLite): the writer
     * then logs an error whenever it is assigned only part of the change topics' partitions.
     */
    boolean supportsConcurrentWriters();

    /**
     * Whether retrying the same work later may succeed (lock contention, deadlock, lost connection, server
     * restarting); false for what can never succeed (a constraint violation, bad data).
     */
    boolean isTransient(SQLException exception);

    /**
     * Starts a transaction on {@code connection} that reads, then writes (auto-commit off). SQLite takes its write
     * lock at the start ({@code BEGIN IMMEDIATE}): a read snapshot that another process's commit overtook cannot turn
     * into a write, and SQLite refuses that at once, without waiting out its busy timeout ({@code SQLITE_BUSY}).
     */
    default void beginReadThenWrite(java.sql.Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }
}
