package io.tributary.simulator.content;

import io.tributary.simulator.store.ForumCollection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** Picks live records at random, cheaply (by rowid, never a full scan). */
final class RowPicker {

    /** A live record's key facts; {@code topicId} and {@code depth} are only set for messages. */
    record Row(String id, long updatedAt, String topicId, int depth) {
    }

    private RowPicker() {
    }

    static Optional<Row> random(Connection c, ForumCollection collection, SplittableRandom rnd)
            throws SQLException {
        List<Row> rows = run(c, collection, rnd, 1);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Up to {@code n} distinct live records: a run of consecutive rowids from a random start, wrapping. */
    static List<Row> run(Connection c, ForumCollection collection, SplittableRandom rnd, int n)
            throws SQLException {
        long lo;
        long hi;
        try (PreparedStatement ps = c.prepareStatement("SELECT min(rowid), max(rowid) FROM " + collection.path());
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            lo = rs.getLong(1);
            if (rs.wasNull()) {
                return List.of();
            }
            hi = rs.getLong(2);
        }
        long from = lo + rnd.nextLong(hi - lo + 1);
        String extra = collection == ForumCollection.MESSAGES ? ", topic_id, depth" : "";
        String select = "SELECT id, updated_at" + extra + " FROM " + collection.path();
        List<Row> rows = new ArrayList<>(Math.min(n, 10_000));
        read(c, select + " WHERE rowid >= ? ORDER BY rowid LIMIT ?", from, n, rows, extra.isEmpty());
        if (rows.size() < n) {
            read(c, select + " WHERE rowid < ? ORDER BY rowid LIMIT ?", from, n - rows.size(), rows, extra.isEmpty());
        }
        return rows;
    }

    private static void read(Connection c, String sql, long rowid, int limit, List<Row> into, boolean plain)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, rowid);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.add(plain
                            ? new Row(rs.getString(1), rs.getLong(2), "", 0)
                            : new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4)));
                }
            }
        }
    }
}
