package io.tributary.simulator.content;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.simulator.content.ForumChange.Kind;
import io.tributary.simulator.content.RowPicker.Row;
import io.tributary.simulator.store.ForumCollection;
import io.tributary.simulator.store.ForumStore;
import io.tributary.simulator.store.SimulatorState;
import io.tributary.simulator.store.SqliteDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Changes the forum the way its users and admins would, one write transaction per call, and publishes
 * every change to the {@link ForumChangeFeed} after commit. Also the public test API:
 * {@code create/update/delete(n)} pick collections by weight (messages mostly),
 * {@code create/update/delete(collection, n)} target one collection, and {@code bulkUpdate} changes many
 * records of one collection atomically with ONE shared {@code updated_at}.
 *
 * <p>Guarantees: a changed record's {@code updated_at} is strictly above its previous value and never
 * below any {@code updated_at} issued before; ids are never reused; deletes do not cascade (children
 * keep referencing a deleted record); replies are at most {@code forum-simulator.seed.max-reply-depth}
 * deep. Methods block (JDBC) and are serialized.
 */
public final class ForumMutator {

    static final int[] ENTITY_WEIGHTS = {15, 2, 18, 65}; // users, sections, topics, messages

    private final SqliteDatabase db;
    private final SimulatorState state;
    private final IdScheme ids;
    private final ForumChangeFeed feed;
    private final MeterRegistry meters;
    private final int maxDepth;
    private final int bulkSize;
    private final SplittableRandom rnd;

    ForumMutator(SqliteDatabase db, SimulatorState state, IdScheme ids, ForumChangeFeed feed,
                 MeterRegistry meters, SeedProperties seed, MutationProperties mutations) {
        this.db = db;
        this.state = state;
        this.ids = ids;
        this.feed = feed;
        this.meters = meters;
        this.maxDepth = seed.maxReplyDepth();
        this.bulkSize = mutations.bulkSize();
        this.rnd = new SplittableRandom(IdScheme.mix64(seed.randomSeed() ^ 0x5EEDL) ^ System.nanoTime());
    }

    /** Creates {@code n} records in collections chosen by weight (dependencies first, e.g. a new topic's messages). */
    public synchronized List<ForumChange> create(int n) {
        List<ForumCollection> picks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            picks.add(weightedCollection());
        }
        picks.sort(null); // enum order: users, sections, topics, messages
        return apply(c -> {
            Map<ForumCollection, List<String>> created = new EnumMap<>(ForumCollection.class);
            List<ForumChange> changes = new ArrayList<>();
            for (ForumCollection collection : picks) {
                createOne(c, collection, created, changes);
            }
            return changes;
        });
    }

    /** Creates {@code n} records of {@code collection} (plus a parent record if none exists to refer to). */
    public synchronized List<ForumChange> create(String collection, int n) {
        ForumCollection target = ForumCollection.of(collection);
        return apply(c -> {
            Map<ForumCollection, List<String>> created = new EnumMap<>(ForumCollection.class);
            List<ForumChange> changes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                createOne(c, target, created, changes);
            }
            return changes;
        });
    }

    /** Updates {@code n} random records (collections chosen by weight), each with its own new {@code updated_at}. */
    public synchronized List<ForumChange> update(int n) {
        return apply(c -> {
            List<ForumChange> changes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                updateOne(c, weightedCollection(), changes);
            }
            return changes;
        });
    }

    /** Updates {@code n} random records of {@code collection} (fewer if the collection is empty). */
    public synchronized List<ForumChange> update(String collection, int n) {
        ForumCollection target = ForumCollection.of(collection);
        return apply(c -> {
            List<ForumChange> changes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                updateOne(c, target, changes);
            }
            return changes;
        });
    }

    /** Deletes {@code n} random records (collections chosen by weight); no cascade. */
    public synchronized List<ForumChange> delete(int n) {
        return apply(c -> {
            List<ForumChange> changes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                deleteOne(c, weightedCollection(), changes);
            }
            return changes;
        });
    }

    /** Deletes {@code n} random records of {@code collection} (fewer if it runs out); no cascade. */
    public synchronized List<ForumChange> delete(String collection, int n) {
        ForumCollection target = ForumCollection.of(collection);
        return apply(c -> {
            List<ForumChange> changes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                deleteOne(c, target, changes);
            }
            return changes;
        });
    }

    /** A single-record operation on a collection chosen by weight, for {@link #singles}. */
    enum Single { CREATE, UPDATE, DELETE }

    /**
     * Runs single-record operations in ONE transaction, in the given order, each change with its own
     * {@code updated_at}: what the mutation schedule does per tick, so that its rate is not bounded by one
     * transaction (and one feed publication) per change.
     */
    public synchronized List<ForumChange> singles(List<Single> operations) {
        return apply(c -> {
            Map<ForumCollection, List<String>> created = new EnumMap<>(ForumCollection.class);
            List<ForumChange> changes = new ArrayList<>();
            for (Single operation : operations) {
                switch (operation) {
                    case CREATE -> createOne(c, weightedCollection(), created, changes);
                    case UPDATE -> updateOne(c, weightedCollection(), changes);
                    case DELETE -> deleteOne(c, weightedCollection(), changes);
                }
            }
            return changes;
        });
    }

    /** {@link #bulkUpdate(String, int)} of {@code forum-simulator.mutations.bulk-size} records. */
    public List<ForumChange> bulkUpdate(String collection) {
        return bulkUpdate(collection, bulkSize);
    }

    /**
     * Updates {@code n} distinct records of {@code collection} (all of them if it holds fewer) in one
     * transaction, all with ONE new {@code updated_at} (above each one's previous value).
     */
    public synchronized List<ForumChange> bulkUpdate(String collection, int n) {
        ForumCollection target = ForumCollection.of(collection);
        return apply(c -> {
            List<Row> rows = RowPicker.run(c, target, rnd, n);
            long previous = rows.stream().mapToLong(Row::updatedAt).max().orElse(Long.MIN_VALUE);
            long at = state.nextTimestamp(previous);
            String field = bulkField(target);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE " + target.path() + " SET " + field + " = ?, updated_at = ? WHERE id = ?")) {
                for (Row row : rows) {
                    ps.setString(1, newText(target, field));
                    ps.setLong(2, at);
                    ps.setString(3, row.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<ForumChange> changes = new ArrayList<>(rows.size());
            for (Row row : rows) {
                changes.add(change(c, target, Kind.UPDATED, row.id(), at));
            }
            return changes;
        });
    }

    private interface Work {
        List<ForumChange> run(Connection c) throws SQLException;
    }

    private List<ForumChange> apply(Work work) {
        List<ForumChange> changes = db.write(c -> {
            List<ForumChange> made = work.run(c);
            state.save(c);
            return made;
        });
        for (ForumChange change : changes) {
            meters.counter("tributary.simulator.mutations", "entity", change.collection().path(),
                    "op", change.kind().name().toLowerCase(Locale.ROOT)).increment();
        }
        feed.publish(changes);
        return changes;
    }

    private String createOne(Connection c, ForumCollection collection, Map<ForumCollection, List<String>> created,
                             List<ForumChange> changes) throws SQLException {
        String id = ids.id(collection, state.nextSequence(collection));
        long at = state.nextTimestamp(Long.MIN_VALUE);
        switch (collection) {
            case USERS -> execute(c, "INSERT INTO users (id, name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    id, ForumText.name(rnd), newText(collection, "email"), at, at);
            case SECTIONS -> execute(c, "INSERT INTO sections (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
                    id, ForumText.title(rnd), at, at);
            case TOPICS -> {
                String section = reference(c, ForumCollection.SECTIONS, created, changes);
                String user = reference(c, ForumCollection.USERS, created, changes);
                execute(c, "INSERT INTO topics (id, section_id, user_id, title, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", id, section, user, ForumText.title(rnd), at, at);
            }
            case MESSAGES -> {
                String user = reference(c, ForumCollection.USERS, created, changes);
                String topic;
                String parent = null;
                int depth = 0;
                Optional<Row> replyTo = rnd.nextInt(100) < 45
                        ? RowPicker.random(c, ForumCollection.MESSAGES, rnd) : Optional.empty();
                if (replyTo.isPresent()) {
                    topic = replyTo.get().topicId();
                    if (replyTo.get().depth() < maxDepth) {
                        parent = replyTo.get().id();
                        depth = replyTo.get().depth() + 1;
                    }
                } else {
                    topic = reference(c, ForumCollection.TOPICS, created, changes);
                }
                execute(c, "INSERT INTO messages (id, topic_id, user_id, parent_id, body, created_at, updated_at,"
                        + " depth) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, topic, user, parent,
                        newText(collection, "body"), at, at, depth);
            }
        }
        created.computeIfAbsent(collection, k -> new ArrayList<>()).add(id);
        changes.add(change(c, collection, Kind.CREATED, id, at));
        return id;
    }

    /** An id to refer to: often one created in this call, else a random live one, else a new one. */
    private String reference(Connection c, ForumCollection collection, Map<ForumCollection, List<String>> created,
                             List<ForumChange> changes) throws SQLException {
        List<String> fresh = created.getOrDefault(collection, List.of());
        if (!fresh.isEmpty() && rnd.nextBoolean()) {
            return fresh.get(rnd.nextInt(fresh.size()));
        }
        Optional<Row> live = RowPicker.random(c, collection, rnd);
        if (live.isPresent()) {
            return live.get().id();
        }
        return createOne(c, collection, created, changes);
    }

    private void updateOne(Connection c, ForumCollection collection, List<ForumChange> changes) throws SQLException {
        Optional<Row> row = RowPicker.random(c, collection, rnd);
        if (row.isEmpty()) {
            return;
        }
        String field = switch (collection) {
            case USERS -> rnd.nextBoolean() ? "name" : "email";
            case SECTIONS -> "title";
            case TOPICS -> rnd.nextInt(4) == 0 ? "section_id" : "title";
            case MESSAGES -> "body";
        };
        String value = newText(collection, field);
        if (field.equals("section_id")) {
            Optional<Row> section = RowPicker.random(c, ForumCollection.SECTIONS, rnd);
            if (section.isEmpty()) {
                field = "title";
                value = newText(collection, field);
            } else {
                value = section.get().id();
            }
        }
        long at = state.nextTimestamp(row.get().updatedAt());
        execute(c, "UPDATE " + collection.path() + " SET " + field + " = ?, updated_at = ? WHERE id = ?",
                value, at, row.get().id());
        changes.add(change(c, collection, Kind.UPDATED, row.get().id(), at));
    }

    private void deleteOne(Connection c, ForumCollection collection, List<ForumChange> changes) throws SQLException {
        Optional<Row> row = RowPicker.random(c, collection, rnd);
        if (row.isEmpty()) {
            return;
        }
        execute(c, "DELETE FROM " + collection.path() + " WHERE id = ?", row.get().id());
        long at = state.nextTimestamp(Long.MIN_VALUE);
        changes.add(new ForumChange(collection, Kind.DELETED, row.get().id(), Instant.ofEpochMilli(at), null));
    }

    private static ForumChange change(Connection c, ForumCollection collection, Kind kind, String id, long at)
            throws SQLException {
        Map<String, @Nullable Object> record = ForumStore.find(c, collection, id).orElseThrow(
                () -> new IllegalStateException("Record " + collection.path() + "/" + id + " vanished in its transaction"));
        return new ForumChange(collection, kind, id, Instant.ofEpochMilli(at), record);
    }

    private static void execute(Connection c, String sql, @Nullable Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v == null) {
                    ps.setNull(i + 1, Types.VARCHAR);
                } else if (v instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else if (v instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else {
                    ps.setString(i + 1, v.toString());
                }
            }
            ps.executeUpdate();
        }
    }

    private String newText(ForumCollection collection, String field) {
        return switch (field) {
            case "name" -> ForumText.name(rnd);
            case "email" -> ForumText.email(rnd, rnd.nextLong(1_000_000_000L));
            case "body" -> rnd.nextInt(100) == 0
                    ? ForumText.longBody(rnd, 8 * 1024 + rnd.nextInt(ForumText.MAX_BODY_BYTES - 8 * 1024))
                    : ForumText.body(rnd);
            default -> ForumText.title(rnd);
        };
    }

    private static String bulkField(ForumCollection collection) {
        return switch (collection) {
            case USERS -> "name";
            case SECTIONS, TOPICS -> "title";
            case MESSAGES -> "body";
        };
    }

    private ForumCollection weightedCollection() {
        return weighted(rnd, ENTITY_WEIGHTS, ForumCollection.values());
    }

    static <T> T weighted(SplittableRandom rnd, int[] weights, T[] choices) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = rnd.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return choices[i];
            }
        }
        return choices[choices.length - 1];
    }
}
