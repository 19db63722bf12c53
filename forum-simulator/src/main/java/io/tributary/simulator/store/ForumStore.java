package io.tributary.simulator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads the forum as the contract renders it: records are maps of the contract's JSON fields in contract
 * order, ids as strings, {@code parent_id} null for a top-level message, timestamps as ISO-8601 UTC strings
 * with exactly three fraction digits. All methods block (JDBC).
 *
 * <p>Tests use {@link #forEach} and {@link #count} to compare a synced database with the simulator's.
 */
public final class ForumStore {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final SqliteDatabase db;

    public ForumStore(SqliteDatabase db) {
        this.db = db;
    }

    /** Number of live records in {@code collection} ({@code users}, {@code sections}, ...). */
    public long count(String collection) {
        return count(ForumCollection.of(collection));
    }

    public long count(ForumCollection collection) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + collection.path());
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * Streams every live record of {@code collection}, ordered by id, to {@code consumer}, one row at a time
     * from one consistent snapshot (the table is never loaded in memory at once). The consumer runs on the
     * caller's thread while a reader connection is held: keep it quick and do not call back into the store.
     */
    public void forEach(String collection, Consumer<Map<String, @Nullable Object>> consumer) {
        ForumCollection c = ForumCollection.of(collection);
        db.read(conn -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT " + columns(c) + " FROM " + c.path() + " ORDER BY id")) {
                ps.setFetchSize(500);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(readRecord(c, rs));
                    }
                }
            }
            return null;
        });
    }

    /** The live record {@code id} of {@code collection}, or empty if it never existed or was deleted. */
    public Optional<Map<String, @Nullable Object>> find(String collection, String id) {
        return find(ForumCollection.of(collection), id);
    }

    public Optional<Map<String, @Nullable Object>> find(ForumCollection collection, String id) {
        return db.read(c -> find(c, collection, id));
    }

    /** Reads one record through {@code connection} (e.g. inside a write transaction). */
    public static Optional<Map<String, @Nullable Object>> find(
            Connection connection, ForumCollection collection, String id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT " + columns(collection) + " FROM " + collection.path() + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readRecord(collection, rs)) : Optional.empty();
            }
        }
    }

    /**
     * The listing: records with {@code updated_at >= sinceMillis} ordered by (updated_at, id), page
     * {@code page} (1-based) of {@code perPage}; {@code hasMore} tells whether one more record exists.
     */
    public ForumPage page(ForumCollection collection, long sinceMillis, int page, int perPage) {
        if (page < 1 || perPage < 1) {
            throw new IllegalArgumentException("page and perPage must be >= 1");
        }
        long offset = (page - 1L) * perPage;
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + columns(collection) + " FROM "
                    + collection.path() + " WHERE updated_at >= ? ORDER BY updated_at, id LIMIT ? OFFSET ?")) {
                ps.setLong(1, sinceMillis);
                ps.setInt(2, perPage + 1);
                ps.setLong(3, offset);
                List<Map<String, @Nullable Object>> data = new ArrayList<>(perPage);
                boolean hasMore = false;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (data.size() == perPage) {
                            hasMore = true;
                            break;
                        }
                        data.add(readRecord(collection, rs));
                    }
                }
                return new ForumPage(data, page, perPage, hasMore);
            }
        });
    }

    /** The column list of {@code collection}'s contract fields, for a SELECT. */
    public static String columns(ForumCollection collection) {
        return String.join(", ", collection.fields());
    }

    /** Maps the current row (selected with {@link #columns}) to the contract's JSON fields. */
    public static Map<String, @Nullable Object> readRecord(ForumCollection collection, ResultSet rs)
            throws SQLException {
        Map<String, @Nullable Object> record = new LinkedHashMap<>();
        int i = 1;
        for (String field : collection.fields()) {
            if (ForumCollection.isTimestamp(field)) {
                record.put(field, formatMillis(rs.getLong(i)));
            } else {
                record.put(field, rs.getString(i));
            }
            i++;
        }
        return record;
    }

    /** Renders epoch millis as the contract does, e.g. {@code 2026-11-21T10:15:30.123Z}. */
    public static String formatMillis(long epochMillis) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }
}
