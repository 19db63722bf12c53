package io.tributary.simulator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The simulator's monotonic clock and id sequences, persisted in {@code simulator_meta} inside the same
 * write transaction as the changes that use them.
 *
 * <p>Clock rule: a timestamp handed out is never below the largest one handed out before (ties are
 * allowed), never below the wall clock, and strictly above the previous {@code updated_at} of the record
 * being changed. Sequences only grow, so ids (derived from them) are never reused.
 */
public final class SimulatorState {

    private static final String CLOCK_KEY = "clock";

    private final Clock clock;
    private long maxIssued;
    private final Map<ForumCollection, Long> nextSequence;

    private SimulatorState(Clock clock, long maxIssued, Map<ForumCollection, Long> nextSequence) {
        this.clock = clock;
        this.maxIssued = maxIssued;
        this.nextSequence = nextSequence;
    }

    /** Loads the persisted state; the clock also covers every stored {@code updated_at}. */
    public static SimulatorState load(SqliteDatabase db, Clock clock) {
        return db.read(c -> {
            Map<String, Long> meta = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM simulator_meta");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    meta.put(rs.getString(1), rs.getLong(2));
                }
            }
            long max = meta.getOrDefault(CLOCK_KEY, Long.MIN_VALUE);
            Map<ForumCollection, Long> sequences = new EnumMap<>(ForumCollection.class);
            for (ForumCollection collection : ForumCollection.values()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT max(updated_at), count(*) FROM " + collection.path());
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long tableMax = rs.getLong(1);
                    if (!rs.wasNull()) {
                        max = Math.max(max, tableMax);
                    }
                    long stored = meta.getOrDefault(sequenceKey(collection), 0L);
                    sequences.put(collection, Math.max(stored, rs.getLong(2)));
                }
            }
            return new SimulatorState(clock, max, sequences);
        });
    }

    /**
     * The {@code updated_at} for a change of a record whose current {@code updated_at} is
     * {@code previousUpdatedAt} ({@link Long#MIN_VALUE} for a new record); for a bulk change pass the
     * largest previous value of the batch.
     */
    public synchronized long nextTimestamp(long previousUpdatedAt) {
        long next = Math.max(clock.millis(), maxIssued);
        if (previousUpdatedAt != Long.MIN_VALUE) {
            next = Math.max(next, previousUpdatedAt + 1);
        }
        maxIssued = next;
        return next;
    }

    /** The largest timestamp handed out (or stored) so far. */
    public synchronized long maxIssued() {
        return maxIssued;
    }

    /** Takes the next sequence number of {@code collection} (the source of a new id). */
    public synchronized long nextSequence(ForumCollection collection) {
        long next = nextSequence.get(collection);
        nextSequence.put(collection, next + 1);
        return next;
    }

    /** Writes the current state through {@code connection} (call inside the write transaction). */
    public synchronized void save(Connection connection) throws SQLException {
        save(connection, maxIssued, nextSequence);
    }

    /** Writes a given state (used by the seeder before any {@link SimulatorState} exists). */
    public static void save(Connection connection, long maxIssued, Map<ForumCollection, Long> nextSequence)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO simulator_meta (key, value)"
                + " VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, CLOCK_KEY);
            ps.setLong(2, maxIssued);
            ps.addBatch();
            for (Map.Entry<ForumCollection, Long> e : nextSequence.entrySet()) {
                ps.setString(1, sequenceKey(e.getKey()));
                ps.setLong(2, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String sequenceKey(ForumCollection collection) {
        return "sequence." + collection.path();
    }
}
