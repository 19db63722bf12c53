package io.tributary.writer.outbound;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * The application's side of a two-way table with the music inventory's columns ({@code name}, {@code artist},
 * {@code album}) in a SQLite main database: the rows a test inserts, edits and deletes as the application would, and
 * what delivery writes back to them. Each call opens its own connection, like another process would.
 *
 * @param url   the JDBC URL of the main database
 * @param table the two-way table
 */
public record ApplicationRows(String url, String table) {

    /** Rows of {@code table} in the SQLite file {@code database}, waiting up to 10 s for the writer's lock. */
    public static ApplicationRows of(Path database, String table) {
        return new ApplicationRows("jdbc:sqlite:" + database + "?busy_timeout=10000", table);
    }

    /** A row the application inserted: no external id yet, version 0. */
    public long insert(String source, String name, String artist, String album) throws SQLException {
        return insert(source, null, 0, "1970-01-01T00:00:00Z", name, artist, album);
    }

    /** A row as the writer stores one it synced from the source. */
    public long insertSynced(String source, String externalId, long version) throws SQLException {
        return insert(source, externalId, version, Instant.now().toString(), "synced", "A", "B");
    }

    private long insert(String source, String externalId, long version, String syncedAt, String name, String artist,
            String album) throws SQLException {
        try (Connection db = DriverManager.getConnection(url);
                PreparedStatement insert = db.prepareStatement("INSERT INTO " + table + " (source_id, external_id,"
                        + " source_version, deleted, synced_at, name, artist, album) VALUES (?, ?, ?, 0, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, source);
            insert.setString(2, externalId);
            insert.setLong(3, version);
            insert.setString(4, syncedAt);
            insert.setString(5, name);
            insert.setString(6, artist);
            insert.setString(7, album);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public void rename(long row, String name) throws SQLException {
        try (Connection db = DriverManager.getConnection(url);
                PreparedStatement update = db.prepareStatement("UPDATE " + table + " SET name = ? WHERE id = ?")) {
            update.setString(1, name);
            update.setLong(2, row);
            update.executeUpdate();
        }
    }

    /** The application's soft delete, which the capture turns into a DELETE. */
    public void markDeleted(long row) throws SQLException {
        try (Connection db = DriverManager.getConnection(url);
                PreparedStatement update = db.prepareStatement("UPDATE " + table + " SET deleted = 1 WHERE id = ?")) {
            update.setLong(1, row);
            update.executeUpdate();
        }
    }

    /** The id delivery stored back after a create; {@code null} until then. */
    public String externalId(long row) throws SQLException {
        return (String) column(row, "external_id");
    }

    public long sourceVersion(long row) throws SQLException {
        return ((Number) column(row, "source_version")).longValue();
    }

    /** One column of one row; {@code null} when the row is not there. */
    public Object column(long row, String column) throws SQLException {
        try (Connection db = DriverManager.getConnection(url);
                PreparedStatement select = db.prepareStatement("SELECT " + column + " FROM " + table + " WHERE id = ?")) {
            select.setLong(1, row);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }
}
