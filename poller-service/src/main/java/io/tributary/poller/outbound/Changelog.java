package io.tributary.poller.outbound;

import io.tributary.model.outbound.LocalChange;
import io.tributary.model.outbound.LocalOperation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The writer's changelog table {@value #TABLE} in the SQLite main database, filled by its capture triggers
 * (writer-service, {@code TwoWayTables}): read in sequence order, and purged below the stored position. One
 * connection, reopened after a failure; the file is in WAL mode, so reads never block the writer, and a purge
 * waits at most {@code busy-timeout} for its lock. Not thread-safe: one capture thread uses it.
 */
final class Changelog implements AutoCloseable {

    static final String TABLE = "tributary_changelog";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<Map<String, @Nullable Object>> FIELDS = new TypeReference<>() { };

    private final Path file;
    private final Duration busyTimeout;
    private @Nullable Connection connection;

    Changelog(Path file, Duration busyTimeout) {
        this.file = file;
        this.busyTimeout = busyTimeout;
    }

    /** Whether the writer created the table yet (it does at its start when an entity is two-way). */
    boolean exists() throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            statement.setString(1, TABLE);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The random id the writer gave this changelog when it created it; a replaced database file has another. */
    String origin() throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement("SELECT id FROM " + TABLE + "_origin");
                ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException(TABLE + "_origin in " + file + " is empty: the writer fills it when it"
                        + " creates the changelog");
            }
            return rs.getString(1);
        }
    }

    /** The last sequence number ever given out (AUTOINCREMENT's counter), if any. */
    OptionalLong lastSequence() throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(
                "SELECT seq FROM sqlite_sequence WHERE name = ?")) {
            statement.setString(1, TABLE);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such table")) {
                return OptionalLong.empty(); // no AUTOINCREMENT row written yet
            }
            throw e;
        }
    }

    /** Up to {@code limit} changes after {@code position}, in sequence order. */
    List<LocalChange> readAfter(long position, int limit) throws SQLException {
        List<LocalChange> changes = new ArrayList<>();
        try (PreparedStatement statement = connection().prepareStatement("SELECT seq, entity, row_id, op, source_id,"
                + " external_id, base_version, changed_at, fields FROM " + TABLE + " WHERE seq > ? ORDER BY seq LIMIT ?")) {
            statement.setLong(1, position);
            statement.setInt(2, limit);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    changes.add(change(rs));
                }
            }
        }
        return changes;
    }

    /** Deletes the rows up to {@code position}, {@code batch} per statement; returns how many. */
    long purgeThrough(long position, int batch) throws SQLException {
        long total = 0;
        try (PreparedStatement statement = connection().prepareStatement("DELETE FROM " + TABLE + " WHERE seq IN"
                + " (SELECT seq FROM " + TABLE + " WHERE seq <= ? ORDER BY seq LIMIT ?)")) {
            int removed;
            do {
                statement.setLong(1, position);
                statement.setInt(2, batch);
                removed = statement.executeUpdate();
                total += removed;
            } while (removed == batch);
        }
        return total;
    }

    private static LocalChange change(ResultSet rs) throws SQLException {
        long seq = rs.getLong("seq");
        String entity = rs.getString("entity");
        try {
            return LocalChange.of(rs.getString("source_id"), entity, rs.getLong("row_id"), rs.getString("external_id"),
                    LocalOperation.valueOf(rs.getString("op")), rs.getLong("base_version"),
                    Instant.parse(rs.getString("changed_at")), seq, MAPPER.readValue(rs.getString("fields"), FIELDS));
        } catch (RuntimeException e) {
            // Written by the writer's own triggers: a row that cannot be read is a bug to stop at, not to skip.
            throw new IllegalStateException("Changelog row " + seq + " of " + entity + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private Connection connection() throws SQLException {
        Connection open = connection;
        if (open == null || open.isClosed()) {
            open = DriverManager.getConnection("jdbc:sqlite:" + file + "?busy_timeout=" + busyTimeout.toMillis());
            open.setAutoCommit(true);
            connection = open;
        }
        return open;
    }

    /** Closes the connection; the next use opens a new one. */
    @Override
    public void close() {
        Connection open = connection;
        connection = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException ignored) {
                // nothing held: reads and purges are single statements in auto-commit
            }
        }
    }
}
