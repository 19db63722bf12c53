package io.tributary.writer.dialect;

import io.tributary.writer.entity.EntityDefinition;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What differs between database products: how to connect, the SQL the applier runs, and which failures
 * are transient. One implementation per product (SQLite now, PostgreSQL later), chosen by
 * {@code tributary.writer.database.dialect}; the schema lives in Flyway migrations under
 * {@code db/writer/{name}}.
 *
 * <p>Statement parameters, in order:
 * <ul>
 *   <li>{@link #insertPlaceholder}: source_id, external_id, synced_at</li>
 *   <li>{@link #upsert}: source_id, external_id, source_version, synced_at, then one parameter per field
 *       in definition order, except a reference, which takes two: the source_id and the external id of the
 *       referenced record (null for an absent optional reference)</li>
 *   <li>{@link #delete}: source_id, external_id, source_version, synced_at</li>
 * </ul>
 * Each statement's update count is 1 when it wrote the row and 0 when it changed nothing.
 */
public interface Dialect {

    /** The configuration value selecting this dialect, also the migrations folder name. */
    String name();

    /** A pool of exactly one connection to the main database (the writer is the only writer). */
    DataSource createDataSource(WriterDatabaseProperties properties);

    /** Inserts a placeholder row ({@code source_version = 0}, every field null) unless the row exists. */
    String insertPlaceholder(EntityDefinition entity);

    /**
     * Inserts the row, or updates it when the event is newer than the stored version and the row is not
     * deleted; references are written as internal ids.
     */
    String upsert(EntityDefinition entity);

    /**
     * Marks the row deleted (inserting a tombstone if it is unknown), keeping its internal id and fields;
     * the stored version becomes the larger of the stored and the event's.
     */
    String delete(EntityDefinition entity);

    /** Whether retrying the same work later may succeed (lock contention, I/O, no connection). */
    boolean isTransient(SQLException exception);
}
