package io.tributary.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code music_items} table of a two-way main database, as the application sees it: the test writes rows as
 * the application would (plain SQL, never touching the writer's columns) and reads them back.
 */
final class TwoWayRows {

    /** Everything of a row that a write by the writer would change. */
    record State(@Nullable String externalId, long sourceVersion, String syncedAt, boolean deleted, String name) {
    }

    private final String jdbcUrl;

    TwoWayRows(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** The application creates a row: no external id yet, version 0. */
    long insert(String sourceId, String name) {
        try (Connection db = DriverManager.getConnection(jdbcUrl);
                PreparedStatement insert = db.prepareStatement("INSERT INTO music_items (source_id, external_id,"
                        + " source_version, deleted, synced_at, name, artist, album) VALUES (?, NULL, 0, 0, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, sourceId);
            insert.setString(2, "1970-01-01T00:00:00Z");
            insert.setString(3, name);
            insert.setString(4, "John Coltrane");
            insert.setString(5, "Giant Steps");
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("insert of " + name, e);
        }
    }

    void rename(long row, String name) {
        execute("UPDATE music_items SET name = ? WHERE id = ?", name, row);
    }

    /** The application's soft delete. */
    void markDeleted(long row) {
        execute("UPDATE music_items SET deleted = 1 WHERE id = ?", row);
    }

    State state(long row) {
        try (Connection db = DriverManager.getConnection(jdbcUrl);
                PreparedStatement st = db.prepareStatement("SELECT external_id, source_version, synced_at, deleted, name"
                        + " FROM music_items WHERE id = ?")) {
            st.setLong(1, row);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no row " + row);
                }
                return new State(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4) != 0, rs.getString(5));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("row " + row, e);
        }
    }

    @Nullable String externalId(long row) {
        return state(row).externalId();
    }

    /** The row of {@code externalId}; null while the poller has not brought it in. */
    @Nullable Long rowOf(String sourceId, String externalId) {
        try (Connection db = DriverManager.getConnection(jdbcUrl);
                PreparedStatement st = db.prepareStatement("SELECT id FROM music_items WHERE source_id = ? AND external_id = ?")) {
            st.setString(1, sourceId);
            st.setString(2, externalId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("music_items")) {
                return null; // the writer has not created the table yet
            }
            throw new IllegalStateException(e);
        }
    }

    /** External id → name of the source's live rows that have one: what the source should hold. */
    Map<String, String> live(String sourceId) {
        Map<String, String> rows = new TreeMap<>();
        query("SELECT external_id, name FROM music_items WHERE source_id = ? AND deleted = 0 AND external_id IS NOT NULL",
                sourceId, rs -> rows.put(rs.getString(1), rs.getString(2)));
        return rows;
    }

    /** Local id → name of the source's live rows without an external id (creates not delivered). */
    Map<Long, String> unsent(String sourceId) {
        Map<Long, String> rows = new TreeMap<>();
        query("SELECT id, name FROM music_items WHERE source_id = ? AND deleted = 0 AND external_id IS NULL",
                sourceId, rs -> rows.put(rs.getLong(1), rs.getString(2)));
        return rows;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, String sourceId, RowReader reader) {
        try (Connection db = DriverManager.getConnection(jdbcUrl); PreparedStatement st = db.prepareStatement(sql)) {
            st.setString(1, sourceId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private void execute(String sql, Object... values) {
        try (Connection db = DriverManager.getConnection(jdbcUrl); PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
