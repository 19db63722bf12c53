package io.tributary.simulator.content;

import io.tributary.simulator.store.ForumCollection;
import io.tributary.simulator.store.SimulatorState;
import io.tributary.simulator.store.SqliteDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates the seed forum, deterministically: the same {@link SeedProperties} give identical rows.
 *
 * <p>Creation times are spread over {@code span} before {@code anchor}; a record only references records
 * created no later than itself (a reply's parent is an earlier message of the same topic, at most
 * {@code maxReplyDepth} deep). About half the records were updated after creation. Ties are deliberate:
 * a few small groups share one {@code updated_at}, and each collection of 300 records or more has one
 * group of more than 100 (more than a page) sharing one {@code updated_at}, as a bulk edit leaves.
 * Rows are inserted in batches inside one transaction.
 */
final class ForumGenerator {

    private static final Logger log = LoggerFactory.getLogger(ForumGenerator.class);
    private static final int BATCH = 1000;
    private static final long PROGRESS_EVERY = 100_000;
    private static final long HOUR = 3_600_000L;
    static final int BIG_TIE_MIN = 101;

    private final SeedProperties properties;
    private final IdScheme ids;
    private final long anchor;
    private final long start;
    private long inserted;
    private long maxUpdated = Long.MIN_VALUE;

    private ForumGenerator(SeedProperties properties, IdScheme ids) {
        this.properties = properties;
        this.ids = ids;
        this.anchor = properties.anchor().toEpochMilli();
        this.start = anchor - properties.span().toMillis();
    }

    /**
     * Seeds {@code db} when {@code forum-simulator.seed.reset} is set (after wiping it) or when it holds no
     * record, then makes sure the indexes exist.
     */
    static void seedIfEmpty(SqliteDatabase db, SeedProperties properties, IdScheme ids) {
        if (properties.reset()) {
            log.info("forum-simulator.seed.reset=true: wiping {}", db.file());
            db.reset();
        }
        long existing = db.read(c -> {
            long n = 0;
            for (ForumCollection collection : ForumCollection.values()) {
                try (var st = c.createStatement();
                     var rs = st.executeQuery("SELECT count(*) FROM " + collection.path())) {
                    rs.next();
                    n += rs.getLong(1);
                }
            }
            return n;
        });
        if (existing > 0) {
            log.info("Database holds {} records: not seeding", existing);
        } else if (properties.total() > 0) {
            long t0 = System.nanoTime();
            log.info("Seeding {} records (seed {}: {} users, {} sections, {} topics, {} messages)",
                    properties.total(), properties.randomSeed(), properties.users(), properties.sections(),
                    properties.topics(), properties.messages());
            db.write(c -> {
                new ForumGenerator(properties, ids).generate(c);
                return null;
            });
            log.info("Seeded {} records in {} ms; indexing", properties.total(), (System.nanoTime() - t0) / 1_000_000);
        }
        long t1 = System.nanoTime();
        db.createIndexes();
        log.debug("Indexes ready in {} ms", (System.nanoTime() - t1) / 1_000_000);
    }

    private void generate(Connection c) throws SQLException {
        long[] userCreated = users(c);
        long[] sectionCreated = sections(c);
        long[] topicCreated = topics(c, sectionCreated, userCreated);
        messages(c, topicCreated, userCreated);
        Map<ForumCollection, Long> sequences = new EnumMap<>(ForumCollection.class);
        sequences.put(ForumCollection.USERS, (long) properties.users());
        sequences.put(ForumCollection.SECTIONS, (long) properties.sections());
        sequences.put(ForumCollection.TOPICS, (long) properties.topics());
        sequences.put(ForumCollection.MESSAGES, (long) properties.messages());
        SimulatorState.save(c, maxUpdated == Long.MIN_VALUE ? 0 : maxUpdated, sequences);
    }

    private long[] users(Connection c) throws SQLException {
        int n = properties.users();
        SplittableRandom rnd = random(ForumCollection.USERS);
        long[] created = creationTimes(rnd, n, anchor - HOUR);
        long[] updated = updateTimes(rnd, created);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO users (id, name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < n; i++) {
                ps.setString(1, ids.id(ForumCollection.USERS, i));
                ps.setString(2, ForumText.name(rnd));
                ps.setString(3, ForumText.email(rnd, i));
                ps.setLong(4, created[i]);
                ps.setLong(5, updated[i]);
                added(ps, ForumCollection.USERS, updated[i]);
            }
            ps.executeBatch();
        }
        return created;
    }

    private long[] sections(Connection c) throws SQLException {
        int n = properties.sections();
        SplittableRandom rnd = random(ForumCollection.SECTIONS);
        long[] created = creationTimes(rnd, n, start + (anchor - start) / 10);
        long[] updated = updateTimes(rnd, created);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sections (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < n; i++) {
                ps.setString(1, ids.id(ForumCollection.SECTIONS, i));
                ps.setString(2, ForumText.title(rnd));
                ps.setLong(3, created[i]);
                ps.setLong(4, updated[i]);
                added(ps, ForumCollection.SECTIONS, updated[i]);
            }
            ps.executeBatch();
        }
        return created;
    }

    private long[] topics(Connection c, long[] sectionCreated, long[] userCreated) throws SQLException {
        int n = properties.topics();
        SplittableRandom rnd = random(ForumCollection.TOPICS);
        long[] created = creationTimes(rnd, n, anchor - HOUR);
        long[] updated = updateTimes(rnd, created);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO topics"
                + " (id, section_id, user_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < n; i++) {
                ps.setString(1, ids.id(ForumCollection.TOPICS, i));
                ps.setString(2, ids.id(ForumCollection.SECTIONS, createdBefore(rnd, sectionCreated, created[i])));
                ps.setString(3, ids.id(ForumCollection.USERS, createdBefore(rnd, userCreated, created[i])));
                ps.setString(4, ForumText.title(rnd));
                ps.setLong(5, created[i]);
                ps.setLong(6, updated[i]);
                added(ps, ForumCollection.TOPICS, updated[i]);
            }
            ps.executeBatch();
        }
        return created;
    }

    private void messages(Connection c, long[] topicCreated, long[] userCreated) throws SQLException {
        int n = properties.messages();
        int maxDepth = properties.maxReplyDepth();
        SplittableRandom rnd = random(ForumCollection.MESSAGES);
        long[] created = creationTimes(rnd, n, anchor - HOUR);
        long[] updated = updateTimes(rnd, created);
        Map<Integer, Integer> longBodies = longBodies(rnd, n);
        // per topic, the last RING messages: replies go to one of them (recent threads nest deeper)
        final int ring = 4;
        int[] recent = new int[topicCreated.length * ring];
        int[] recentCount = new int[topicCreated.length];
        byte[] depth = new byte[n];
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (id, topic_id, user_id, parent_id,"
                + " body, created_at, updated_at, depth) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < n; i++) {
                int topic = createdBefore(rnd, topicCreated, created[i]);
                int parent = -1;
                int count = recentCount[topic];
                if (count > 0 && rnd.nextInt(100) < 55) {
                    int candidate = rnd.nextInt(10) < 7
                            ? recent[topic * ring + (count - 1) % ring]
                            : recent[topic * ring + rnd.nextInt(Math.min(count, ring))];
                    if (depth[candidate] < maxDepth) {
                        parent = candidate;
                        depth[i] = (byte) (depth[candidate] + 1);
                    }
                }
                recent[topic * ring + count % ring] = i;
                recentCount[topic] = count + 1;
                Integer longBytes = longBodies.get(i);
                ps.setString(1, ids.id(ForumCollection.MESSAGES, i));
                ps.setString(2, ids.id(ForumCollection.TOPICS, topic));
                ps.setString(3, ids.id(ForumCollection.USERS, createdBefore(rnd, userCreated, created[i])));
                if (parent < 0) {
                    ps.setNull(4, Types.VARCHAR);
                } else {
                    ps.setString(4, ids.id(ForumCollection.MESSAGES, parent));
                }
                ps.setString(5, longBytes == null ? ForumText.body(rnd) : ForumText.longBody(rnd, longBytes));
                ps.setLong(6, created[i]);
                ps.setLong(7, updated[i]);
                ps.setInt(8, depth[i]);
                added(ps, ForumCollection.MESSAGES, updated[i]);
            }
            ps.executeBatch();
        }
    }

    private void added(PreparedStatement ps, ForumCollection collection, long updatedAt) throws SQLException {
        ps.addBatch();
        maxUpdated = Math.max(maxUpdated, updatedAt);
        inserted++;
        if (inserted % BATCH == 0) {
            ps.executeBatch();
        }
        if (inserted % PROGRESS_EVERY == 0) {
            log.info("Seeding: {} of {} records inserted (now {})", inserted, properties.total(), collection.path());
        }
    }

    private SplittableRandom random(ForumCollection collection) {
        return new SplittableRandom(IdScheme.mix64(properties.randomSeed() * 31 + collection.ordinal()));
    }

    /** Sorted creation times in [start, latest]; the first record is created at {@code start}. */
    private long[] creationTimes(SplittableRandom rnd, int n, long latest) {
        long[] created = new long[n];
        for (int i = 0; i < n; i++) {
            created[i] = start + rnd.nextLong(latest - start + 1);
        }
        Arrays.sort(created);
        if (n > 0) {
            created[0] = start;
        }
        return created;
    }

    /** Update times (half never updated), then tie groups: small ones, and one of more than a page. */
    private long[] updateTimes(SplittableRandom rnd, long[] created) {
        int n = created.length;
        long[] updated = new long[n];
        for (int i = 0; i < n; i++) {
            updated[i] = rnd.nextBoolean() ? created[i] : created[i] + rnd.nextLong(anchor - created[i] + 1);
        }
        if (n >= 4) {
            int groups = Math.max(1, n / 200);
            for (int g = 0; g < groups; g++) {
                long at = start + rnd.nextLong(anchor - HOUR - start);
                int size = 2 + rnd.nextInt(7);
                for (int attempt = 0; attempt < size * 4 && size > 0; attempt++) {
                    int i = rnd.nextInt(n);
                    if (created[i] <= at) {
                        updated[i] = at;
                        size--;
                    }
                }
            }
        }
        if (n >= 300) {
            // a bulk edit half an hour before the anchor: every record was created at least an hour before
            long at = anchor - HOUR / 2;
            int size = Math.min(n, BIG_TIE_MIN + rnd.nextInt(50));
            boolean[] chosen = new boolean[n];
            while (size > 0) {
                int i = rnd.nextInt(n);
                if (!chosen[i]) {
                    chosen[i] = true;
                    updated[i] = at;
                    size--;
                }
            }
        }
        return updated;
    }

    /** A random index among the records (sorted by creation) created no later than {@code at}. */
    private static int createdBefore(SplittableRandom rnd, long[] sortedCreated, long at) {
        int found = Arrays.binarySearch(sortedCreated, at);
        int count;
        if (found >= 0) {
            while (found + 1 < sortedCreated.length && sortedCreated[found + 1] == at) {
                found++;
            }
            count = found + 1;
        } else {
            count = -found - 1;
        }
        return rnd.nextInt(Math.max(1, count));
    }

    /** Message indexes that get a long body, with its size in bytes (one of exactly 64 KiB). */
    private static Map<Integer, Integer> longBodies(SplittableRandom rnd, int n) {
        Map<Integer, Integer> sizes = new HashMap<>();
        if (n < 100) {
            return sizes;
        }
        int count = Math.min(20, Math.max(1, n / 1000));
        for (int k = 0; k < count; k++) {
            int bytes = k == 0 ? ForumText.MAX_BODY_BYTES : 8 * 1024 + rnd.nextInt(ForumText.MAX_BODY_BYTES - 8 * 1024);
            sizes.put(rnd.nextInt(n), bytes);
        }
        return sizes;
    }
}
