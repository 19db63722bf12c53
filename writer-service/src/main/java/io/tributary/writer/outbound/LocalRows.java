package io.tributary.writer.outbound;

import io.tributary.writer.apply.SyncedAtStamps;
import io.tributary.writer.dialect.Dialect;
import io.tributary.writer.dialect.WriterDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery's reads and writes of the main database. Every write changes {@code external_id} or
 * {@code source_version} and {@code synced_at}, the columns only the writer changes: the capture does not take
 * them for the application's (decision 0024), so a write-back is never delivered again. {@code synced_at} comes from
 * the process's {@link SyncedAtStamps}, shared with the applier, so it never repeats a stamp the applier wrote.
 */
final class LocalRows {

    /** A row as delivery needs it; absent when it was hard-deleted. */
    record Row(long id, @Nullable String externalId, long sourceVersion, boolean deleted) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalRows.class);
    private static final int WRITE_BACK_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final SyncedAtStamps stamps;

    LocalRows(WriterDatabase database, SyncedAtStamps stamps) {
        this(database.dataSource(), database.dialect(), stamps);
    }

    LocalRows(DataSource dataSource, Dialect dialect, SyncedAtStamps stamps) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.stamps = stamps;
    }

    Optional<Row> find(String table, long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT id, external_id, source_version, deleted FROM "
                        + table + " WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4) != 0))
                        : Optional.empty();
            }
        }
    }

    /**
     * Stores the external id (and version, when the create response carried one) a create received, on the row
     * that has none yet. When the poller already brought the created record in as a row of its own (it polled
     * between our create and this write-back: {@code UNIQUE (source_id, external_id)} refuses the update), that
     * duplicate is merged into the application's row, which keeps its id (the application knows it): the
     * duplicate's columns are copied over when its version is newer than the create's, then it is removed —
     * its external id cleared, then deleted (neither write is captured). Rows
     * referencing the duplicate are not re-pointed (a duplicate lives for one poll interval at most; its
     * deletion fails on a foreign key, and the change is dead-lettered with the reason).
     *
     * <p>The transaction is tried again, with fresh reads, when it fails ({@value #WRITE_BACK_ATTEMPTS} attempts):
     * another connection may write between the duplicate check and the update (on SQLite the capture's purge or the
     * application: SQLite then refuses to turn the read into a write, {@code SQLITE_BUSY_SNAPSHOT}; on PostgreSQL the
     * apply thread inserting the poller's copy: the unique key), and a failure here would make delivery call the
     * source again for a create it already made.
     *
     * @return whether a duplicate was merged
     */
    boolean storeCreated(String table, String sourceId, long id, String externalId, long version, List<String> columns)
            throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return storeCreatedOnce(table, sourceId, id, externalId, version, columns);
            } catch (SQLException e) {
                if (attempt >= WRITE_BACK_ATTEMPTS) {
                    throw e;
                }
                LOG.info("Write-back of row {} of {} as {} failed ({}), trying again", id, table, externalId, e.toString());
            }
        }
    }

    private boolean storeCreatedOnce(String table, String sourceId, long id, String externalId, long version,
            List<String> columns) throws SQLException {
        String now = stamps.next();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            dialect.beginReadThenWrite(connection);
            try {
                Long duplicate = null;
                long duplicateVersion = -1;
                try (PreparedStatement select = connection.prepareStatement("SELECT id, source_version FROM " + table
                        + " WHERE source_id = ? AND external_id = ? AND id <> ?")) {
                    select.setString(1, sourceId);
                    select.setString(2, externalId);
                    select.setLong(3, id);
                    try (ResultSet rs = select.executeQuery()) {
                        if (rs.next()) {
                            duplicate = rs.getLong(1);
                            duplicateVersion = rs.getLong(2);
                        }
                    }
                }
                if (duplicate != null) {
                    merge(connection, table, id, duplicate, duplicateVersion > version ? columns : List.of(), now);
                }
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                        + " SET external_id = ?, source_version = CASE WHEN source_version > ? THEN source_version ELSE ? END,"
                        + " synced_at = ? WHERE id = ? AND external_id IS NULL")) {
                    long stored = Math.max(version, duplicateVersion);
                    update.setString(1, externalId);
                    update.setLong(2, stored);
                    update.setLong(3, stored);
                    update.setString(4, now);
                    update.setLong(5, id);
                    update.executeUpdate();
                }
                connection.commit();
                return duplicate != null;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Raises the row's version to what our update produced, so the source's echo of it is a no-op, but only while
     * the row still holds a version our change was based on ({@code baseVersion}, or {@code ownPush}, the version our
     * previous push produced). If the poller brought in a newer source version meanwhile (a conflict the local
     * change won), the row holds the source's fields: raising its version would make the guard skip the poll that
     * brings our pushed fields back, so the row is left for that poll to correct.
     */
    void storeVersion(String table, long id, long version, long baseVersion, long ownPush) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE " + table
                        + " SET source_version = ?, synced_at = ? WHERE id = ? AND source_version < ?"
                        + " AND source_version IN (?, ?)")) {
            update.setLong(1, version);
            update.setString(2, stamps.next());
            update.setLong(3, id);
            update.setLong(4, version);
            update.setLong(5, baseVersion);
            update.setLong(6, ownPush);
            update.executeUpdate();
        }
    }

    /**
     * Undoes the application's soft delete of a row when the conflict policy dropped that delete (the source changed
     * the record since and keeps it, decision 0033): the row is live again at the version it had, so the next poll,
     * which carries the source's newer version, writes the source's fields into it. Only while the row is still a
     * tombstone no newer than {@code sourceVersion} (a delete the writer applied since, from the source, stays).
     * Sets {@code synced_at}, a writer-only column: the capture does not take it for the application's (0024).
     *
     * @return whether the row was live again
     */
    boolean undoDelete(String table, long id, long sourceVersion) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("UPDATE " + table
                        + " SET deleted = 0, synced_at = ? WHERE id = ? AND deleted = 1 AND source_version <= ?")) {
            update.setString(1, stamps.next());
            update.setLong(2, id);
            update.setLong(3, sourceVersion);
            return update.executeUpdate() == 1;
        }
    }

    /** The external id of a referenced row; null when it has none (its create is not delivered yet). */
    @Nullable String externalIdOf(String table, long id) throws SQLException {
        return find(table, id).map(Row::externalId).orElse(null);
    }

    private static void merge(Connection connection, String table, long id, long duplicate, List<String> columns,
            String now) throws SQLException {
        if (!columns.isEmpty()) {
            StringBuilder set = new StringBuilder();
            for (String column : columns) {
                set.append(set.isEmpty() ? "" : ", ").append(column).append(" = (SELECT ").append(column)
                        .append(" FROM ").append(table).append(" WHERE id = ?)");
            }
            try (PreparedStatement copy = connection.prepareStatement("UPDATE " + table + " SET " + set
                    + ", synced_at = ? WHERE id = ?")) {
                int i = 1;
                for (int c = 0; c < columns.size(); c++) {
                    copy.setLong(i++, duplicate);
                }
                copy.setString(i++, now);
                copy.setLong(i, id);
                copy.executeUpdate();
            }
        }
        // external_id cleared first (a writer-only column changes: not captured), then a delete of a row without
        // an external id (not captured either): the source is not told to delete the record we just created
        try (PreparedStatement detach = connection.prepareStatement("UPDATE " + table
                + " SET external_id = NULL WHERE id = ?");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            detach.setLong(1, duplicate);
            detach.executeUpdate();
            delete.setLong(1, duplicate);
            delete.executeUpdate();
        }
        LOG.info("Merged row {} of {} (brought in by the poller before the create's write-back) into row {}",
                duplicate, table, id);
    }
}
