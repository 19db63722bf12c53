package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.mapping.ForumRecordNormalizer;
import io.tributary.poller.PollerApplication;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The {@code cdc} source kind end to end: a fresh PostgreSQL database of the machine (forum tables, no
 * foreign keys: the source's own rules are not ours to test) → Debezium in poller-service (snapshot, then
 * pgoutput streaming) → a real Kafka broker (KRaft) → writer-service → a SQLite main DB, compared with the
 * source row by row, references resolved to external ids. Inserts, updates and deletes are made while the
 * poller streams and while it is down; the restarted poller must resume from its committed offsets (no
 * new snapshot: rows untouched since keep their version) and lose nothing. Needs {@code wal_level=logical}
 * ({@code .ci/prepare-postgresql}); the database and its replication slots are dropped afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CdcSyncIT {

    private static final Logger LOG = LoggerFactory.getLogger(CdcSyncIT.class);

    private static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:"
            + System.getProperty("tributary.test.pg.port", "5432") + "/postgres";
    private static final String PG_USER = "postgres";
    private static final String DB_PREFIX = "tributary_cdc_it_";
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);
    /** Reference field → the entity it points to. */
    private static final Map<String, String> REFERENCES = Map.of(
            "section_id", "sections", "user_id", "users", "topic_id", "topics", "parent_id", "messages");
    private static final List<String> ENTITIES = List.of("users", "sections", "topics", "messages");

    @TempDir
    static Path dir;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String database = DB_PREFIX + suffix;
    private final String sourceId = "cdc-" + suffix;
    private final Random random = new Random(7);
    private EmbeddedKafkaKraftBroker kafka;
    private ConfigurableApplicationContext writer;
    private ConfigurableApplicationContext poller;
    private Path mainDb;
    private long nextId = 1;

    @BeforeAll
    void startEverything() throws SQLException {
        dropLeftoversOfEarlierRuns();
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        try (Connection source = source(); Statement statement = source.createStatement()) {
            statement.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL,"
                    + " created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)");
            statement.execute("CREATE TABLE sections (id BIGINT PRIMARY KEY, title TEXT NOT NULL,"
                    + " created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)");
            statement.execute("CREATE TABLE topics (id BIGINT PRIMARY KEY, section_id BIGINT NOT NULL, user_id BIGINT NOT NULL,"
                    + " title TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)");
            statement.execute("CREATE TABLE messages (id BIGINT PRIMARY KEY, topic_id BIGINT NOT NULL, user_id BIGINT NOT NULL,"
                    + " parent_id BIGINT, body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)");
            seed(source, 50, 5, 100, 600);
        }
        kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.afterPropertiesSet();
        mainDb = dir.resolve("tributary.db");
        writer = PipelineServices.writer(kafka.getBrokersAsString(), mainDb);
    }

    @AfterAll
    void stopEverything() throws SQLException {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {poller, writer}) {
            if (context != null) {
                context.close();
            }
        }
        if (kafka != null) {
            kafka.destroy();
        }
        dropDatabase(database);
    }

    /**
     * Changes keep coming while the slots are created and the snapshot read: none may be lost at the seam.
     * Besides a stream of small transactions, one transaction is driven across the users slot's consistent
     * point: PostgreSQL builds a logical slot by waiting for the transactions it saw running (t0), then for those
     * that started meanwhile (t1); a transaction that starts after that (t2) is decoded in full, yet its change
     * was written before the consistent point and is not in the exported snapshot. Versioned by the consistent
     * point, the snapshot row would outrank t2's change and the writer would drop it (decision 0012).
     */
    @Test
    @Order(1)
    void snapshotCopiesEveryRowWhileTheSourceKeepsChanging() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger changes = new AtomicInteger();
        ExecutorService changer = Executors.newSingleThreadExecutor();
        Future<?> changing;
        try (Connection t0 = source(); Connection t1 = source(); Connection t2 = source()) {
            t0.setAutoCommit(false);
            t1.setAutoCommit(false);
            t2.setAutoCommit(false);
            update(t0, "users", 1, "name", "t0");
            long xid0 = xid(t0);
            changing = changer.submit(() -> {
                try (Connection source = source()) {
                    while (!stop.get()) {
                        // Some changes in open transactions that span a moment, the others autocommitted.
                        source.setAutoCommit(changes.get() % 2 == 0);
                        mutateMessages(source, 5);
                        if (!source.getAutoCommit()) {
                            source.commit();
                        }
                        changes.addAndGet(5);
                    }
                }
                return null;
            });
            poller = startPoller();
            await("the users slot's creation waiting for t0").atMost(Duration.ofMinutes(1))
                    .until(() -> slotCreationWaitsFor(xid0));
            update(t1, "users", 2, "name", "t1");
            long xid1 = xid(t1);
            t0.commit();
            await("the users slot's creation waiting for t1").atMost(Duration.ofMinutes(1))
                    .until(() -> slotCreationWaitsFor(xid1));
            update(t2, "users", 3, "name", "t2, open across the consistent point");
            long xid2 = xid(t2);
            t1.commit();
            // Usually the slot turns consistent with t2 still open (the seam under test). If PostgreSQL logged
            // its running-transactions record after t2 began (timing, e.g. on a loaded machine), the slot waits
            // for t2 too: t2 then commits before the consistent point, and this run checks the rest only.
            await("the users slot consistent, or waiting for t2").atMost(Duration.ofMinutes(2))
                    .until(() -> usersSlotConsistent() || slotCreationWaitsFor(xid2));
            if (!usersSlotConsistent()) {
                LOG.warn("The users slot waited for t2: the seam was not crossed in this run");
            }
            t2.commit();
            // Until the snapshot has reached the main DB and a few hundred changes more were made.
            await("the snapshot arriving").atMost(Duration.ofMinutes(1))
                    .until(() -> changing.isDone() || mainCount("messages", "source_version > 0") > 0);
            int seen = changes.get();
            await("changes made while the snapshot arrives").atMost(Duration.ofMinutes(1))
                    .until(() -> changing.isDone() || changes.get() >= seen + 300);
        } finally {
            stop.set(true);
            changer.shutdown();
        }
        changing.get(1, TimeUnit.MINUTES);
        awaitZeroDrift();
        try (Connection source = source(); Statement statement = source.createStatement();
                ResultSet row = statement.executeQuery("SELECT name FROM users WHERE id = 3")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).as("t2's change, compared above").isEqualTo("t2, open across the consistent point");
        }
    }

    private static long xid(Connection transaction) throws SQLException {
        try (Statement statement = transaction.createStatement();
                ResultSet result = statement.executeQuery("SELECT txid_current() % 4294967296")) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Whether a walsender of the source database waits for transaction {@code xid} (a slot being built). */
    private boolean slotCreationWaitsFor(long xid) throws SQLException {
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
                PreparedStatement statement = admin.prepareStatement("SELECT count(*) FROM pg_locks l"
                        + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND l.locktype = 'transactionid'"
                        + " AND l.transactionid::text::bigint = ? AND a.backend_type = 'walsender' AND a.datname = ?")) {
            statement.setLong(1, xid);
            statement.setString(2, database);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1) > 0;
            }
        }
    }

    private boolean usersSlotConsistent() throws SQLException {
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
                PreparedStatement statement = admin.prepareStatement("SELECT count(*) FROM pg_replication_slots"
                        + " WHERE slot_name = ? AND confirmed_flush_lsn IS NOT NULL")) {
            statement.setString(1, "tributary_" + sourceId.replace('-', '_') + "_users");
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1) > 0;
            }
        }
    }

    @Test
    @Order(2)
    void insertsUpdatesAndDeletesWhileStreamingArrive() throws SQLException {
        try (Connection source = source()) {
            for (int round = 0; round < 10; round++) {
                mutate(source, 20);
            }
            // One transaction updating one row twice and deleting another: the last state must win.
            source.setAutoCommit(false);
            long id = someId(source, "messages");
            update(source, "messages", id, "body", "first");
            update(source, "messages", id, "body", "second");
            delete(source, "messages", someId(source, "messages"));
            source.commit();
            source.setAutoCommit(true);
        }
        awaitZeroDrift();
        assertThat(mainCount("messages", "deleted = 1")).as("deletes arrived as DELETE events").isPositive();
        Timer lag = poller.getBean(MeterRegistry.class).find("tributary.poller.cdc.lag")
                .tags("source", sourceId, "entity", "messages").timer();
        assertThat(lag).isNotNull();
        assertThat(lag.count()).as("streamed batches measured from the source's commit").isPositive();
        assertThat(lag.max(TimeUnit.SECONDS)).isLessThan(60);
    }

    @Test
    @Order(3)
    void restartedPollerResumesFromCommittedOffsetsWithoutLoss() throws SQLException {
        Map<String, Long> usersBefore = mainVersions("users");
        poller.close();
        poller = null;
        try (Connection source = source()) {
            // Changed while the poller is down: PostgreSQL keeps the WAL for the slot.
            for (int round = 0; round < 5; round++) {
                mutateMessages(source, 20);
            }
        }
        poller = startPoller();
        try (Connection source = source()) {
            for (int round = 0; round < 5; round++) {
                mutateMessages(source, 20);
            }
        }
        awaitZeroDrift();
        // A new snapshot would have given every row the new snapshot's LSN as its version.
        assertThat(mainVersions("users")).as("users, untouched since, keep their versions: no second snapshot")
                .isEqualTo(usersBefore);
    }

    private ConfigurableApplicationContext startPoller() {
        String source = "--tributary.poller.sources[0].";
        return PollerApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                source + "id=" + sourceId,
                source + "kind=cdc",
                source + "entities=users,sections,topics,messages",
                source + "host=127.0.0.1",
                source + "port=" + System.getProperty("tributary.test.pg.port", "5432"),
                source + "database=" + database,
                source + "user=" + PG_USER,
                source + "poll-interval=100ms",
                source + "heartbeat-interval=1s");
    }

    // ---- the source database ------------------------------------------------------------------------

    private Connection source() throws SQLException {
        return DriverManager.getConnection(PG_ADMIN_URL.replace("/postgres", "/" + database), PG_USER, "");
    }

    private void seed(Connection source, int users, int sections, int topics, int messages) throws SQLException {
        for (int i = 0; i < users; i++) {
            insert(source, "users", Map.of("name", "user " + i, "email", "u" + i + "@example.org"));
        }
        for (int i = 0; i < sections; i++) {
            insert(source, "sections", Map.of("title", "section " + i));
        }
        for (int i = 0; i < topics; i++) {
            insert(source, "topics", Map.of("section_id", someId(source, "sections"), "user_id", someId(source, "users"),
                    "title", "topic " + i));
        }
        for (int i = 0; i < messages; i++) {
            insertMessage(source);
        }
    }

    private void mutate(Connection source, int changes) throws SQLException {
        for (int i = 0; i < changes; i++) {
            switch (random.nextInt(6)) {
                case 0 -> insert(source, "users", Map.of("name", "new user", "email", "n" + nextId + "@example.org"));
                case 1 -> update(source, "users", someId(source, "users"), "name", "renamed " + random.nextInt());
                case 2 -> update(source, "topics", someId(source, "topics"), "title", "retitled " + random.nextInt());
                default -> mutateMessages(source, 1);
            }
        }
    }

    private void mutateMessages(Connection source, int changes) throws SQLException {
        for (int i = 0; i < changes; i++) {
            switch (random.nextInt(3)) {
                case 0 -> insertMessage(source);
                case 1 -> update(source, "messages", someId(source, "messages"), "body", "edited " + random.nextInt());
                default -> delete(source, "messages", someId(source, "messages"));
            }
        }
    }

    private void insertMessage(Connection source) throws SQLException {
        Map<String, Object> values = new HashMap<>();
        values.put("topic_id", someId(source, "topics"));
        values.put("user_id", someId(source, "users"));
        values.put("body", "message " + random.nextInt());
        if (random.nextBoolean()) {
            Long parent = someIdOrNull(source, "messages");
            if (parent != null) {
                values.put("parent_id", parent);
            }
        }
        insert(source, "messages", values);
    }

    private void insert(Connection source, String table, Map<String, Object> values) throws SQLException {
        List<String> columns = new ArrayList<>(values.keySet());
        String sql = "INSERT INTO " + table + " (id, " + String.join(", ", columns) + ", created_at, updated_at) VALUES (?"
                + ", ?".repeat(columns.size()) + ", clock_timestamp(), clock_timestamp())";
        try (PreparedStatement statement = source.prepareStatement(sql)) {
            statement.setLong(1, nextId++);
            for (int i = 0; i < columns.size(); i++) {
                statement.setObject(i + 2, values.get(columns.get(i)));
            }
            statement.executeUpdate();
        }
    }

    private static void update(Connection source, String table, long id, String column, String value) throws SQLException {
        try (PreparedStatement statement = source.prepareStatement(
                "UPDATE " + table + " SET " + column + " = ?, updated_at = clock_timestamp() WHERE id = ?")) {
            statement.setString(1, value);
            statement.setLong(2, id);
            statement.executeUpdate();
        }
    }

    private static void delete(Connection source, String table, long id) throws SQLException {
        try (PreparedStatement statement = source.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            statement.setLong(1, id);
            statement.executeUpdate();
        }
    }

    private long someId(Connection source, String table) throws SQLException {
        Long id = someIdOrNull(source, table);
        assertThat(id).as("a row of " + table).isNotNull();
        return id;
    }

    private Long someIdOrNull(Connection source, String table) throws SQLException {
        try (PreparedStatement statement = source.prepareStatement(
                "SELECT id FROM " + table + " ORDER BY id OFFSET ? LIMIT 1")) {
            statement.setInt(1, random.nextInt(Math.max(1, count(source, table))));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        }
    }

    private static int count(Connection source, String table) throws SQLException {
        try (Statement statement = source.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    // ---- comparison -----------------------------------------------------------------------------------

    private void awaitZeroDrift() throws SQLException {
        await("main DB equals the CDC source row by row").atMost(SYNC_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (String entity : ENTITIES) {
                        assertThat(mainRows(entity)).as(entity).isEqualTo(sourceRows(entity));
                    }
                });
    }

    /** Live rows of the source: external id → the fields the writer stores, references as external ids. */
    private Map<String, List<String>> sourceRows(String entity) throws SQLException {
        List<String> fields = ForumRecordNormalizer.FIELDS.get(entity);
        Map<String, List<String>> rows = new TreeMap<>();
        try (Connection source = source(); Statement statement = source.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, " + String.join(", ", fields) + " FROM " + entity)) {
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (String field : fields) {
                    values.add(field.endsWith("_at")
                            ? result.getObject(field, OffsetDateTime.class).toInstant().toString()
                            : result.getString(field));
                }
                rows.put(result.getString("id"), values);
            }
        }
        return rows;
    }

    /** Live rows of the main DB for this source, in the same shape. */
    private Map<String, List<String>> mainRows(String entity) throws SQLException {
        List<String> fields = ForumRecordNormalizer.FIELDS.get(entity);
        StringBuilder select = new StringBuilder("SELECT e.external_id");
        StringBuilder joins = new StringBuilder();
        for (String field : fields) {
            String referenced = REFERENCES.get(field);
            if (referenced == null) {
                select.append(", e.").append(field);
            } else {
                select.append(", r_").append(field).append(".external_id");
                joins.append(" LEFT JOIN ").append(referenced).append(" r_").append(field).append(" ON r_").append(field)
                        .append(".id = e.").append(field);
            }
        }
        String sql = select + " FROM " + entity + " e" + joins
                + " WHERE e.source_id = ? AND e.deleted = 0 AND e.source_version > 0";
        Map<String, List<String>> rows = new TreeMap<>();
        try (Connection main = DriverManager.getConnection("jdbc:sqlite:" + mainDb);
                PreparedStatement statement = main.prepareStatement(sql)) {
            statement.setString(1, sourceId);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 0; i < fields.size(); i++) {
                        values.add(result.getString(i + 2));
                    }
                    rows.put(result.getString(1), values);
                }
            }
        }
        return rows;
    }

    private long mainCount(String entity, String condition) throws SQLException {
        try (Connection main = DriverManager.getConnection("jdbc:sqlite:" + mainDb);
                PreparedStatement statement = main.prepareStatement(
                        "SELECT count(*) FROM " + entity + " WHERE source_id = ? AND " + condition)) {
            statement.setString(1, sourceId);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private Map<String, Long> mainVersions(String entity) throws SQLException {
        Map<String, Long> versions = new TreeMap<>();
        try (Connection main = DriverManager.getConnection("jdbc:sqlite:" + mainDb);
                PreparedStatement statement = main.prepareStatement(
                        "SELECT external_id, source_version FROM " + entity + " WHERE source_id = ?")) {
            statement.setString(1, sourceId);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    versions.put(result.getString(1), result.getLong(2));
                }
            }
        }
        return versions;
    }

    // ---- clean-up -------------------------------------------------------------------------------------

    /** Slots keep WAL forever: a run that crashed must not leave them behind (nor its database). */
    private static void dropLeftoversOfEarlierRuns() throws SQLException {
        List<String> databases = new ArrayList<>();
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
                PreparedStatement statement = admin.prepareStatement(
                        "SELECT datname FROM pg_database WHERE datname LIKE ? AND NOT EXISTS ("
                                + " SELECT 1 FROM pg_replication_slots s WHERE s.database = datname AND s.active)")) {
            statement.setString(1, DB_PREFIX + "%");
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    databases.add(rows.getString(1));
                }
            }
        }
        for (String name : databases) {
            // Only databases idle for a while: a concurrent run's fresh database is left alone.
            if (idleForAnHour(name)) {
                dropDatabase(name);
            }
        }
    }

    private static boolean idleForAnHour(String name) throws SQLException {
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
                PreparedStatement statement = admin.prepareStatement(
                        "SELECT (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - interval '1 hour'"
                                + " FROM pg_database WHERE datname = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    /** Drops the database's replication slots (once their walsenders are gone), then the database. */
    private static void dropDatabase(String name) throws SQLException {
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "")) {
            await("replication slots of " + name + " released").atMost(Duration.ofSeconds(30))
                    .until(() -> activeSlots(admin, name) == 0);
            try (PreparedStatement statement = admin.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = ?")) {
                statement.setString(1, name);
                statement.execute();
            }
            try (Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name.toLowerCase(Locale.ROOT) + " WITH (FORCE)");
            }
            try (PreparedStatement statement = admin.prepareStatement(
                    "SELECT count(*) FROM pg_replication_slots WHERE database = ?")) {
                statement.setString(1, name);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    assertThat(rows.getInt(1)).as("replication slots left for " + name).isZero();
                }
            }
        }
    }

    private static int activeSlots(Connection admin, String name) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(
                "SELECT count(*) FROM pg_replication_slots WHERE database = ? AND active")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
