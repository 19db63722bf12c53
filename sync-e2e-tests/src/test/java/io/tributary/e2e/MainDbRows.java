package io.tributary.e2e;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** Reads a configured entity's live rows from the SQLite main database. */
final class MainDbRows {

    private MainDbRows() {
    }

    /** External id → name of {@code sourceId}'s live rows of {@code table}; empty while the table does not exist. */
    static Map<String, String> names(Path database, String table, String sourceId) {
        Map<String, String> names = new TreeMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
             PreparedStatement st = db.prepareStatement("SELECT external_id, name FROM " + table
                     + " WHERE source_id = ? AND deleted = 0")) {
            st.setString(1, sourceId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no such table")) {
                return Map.of(); // the writer has not created it yet
            }
            throw new IllegalStateException(e);
        }
        return names;
    }
}
