package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.poller.PollerApplication;
import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumCollection;
import io.tributary.simulator.store.ForumPage;
import io.tributary.simulator.store.ForumStore;
import io.tributary.simulator.store.SimulatorState;
import io.tributary.simulator.store.SqliteDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * The forum as a definition: {@code examples/forum.yaml} run by the generic {@code rest} kind (only its base URL
 * and interval changed) against the real simulator (5xx and 429 injected) → Kafka → the writer → SQLite, compared
 * with the source row by row. What the kind's passes and high-water mark guarantee (decision 0019) holds: the
 * initial walk while records are created, changes made between passes (a bulk update sharing one
 * {@code updated_at} larger than a page included) and a restart from the checkpoints end in zero differences.
 * What it does not guarantee is shown too, deterministically: an update that moves a record of an already read
 * page to the end of the listing shifts the next page by one, and the record that slid back is skipped; its
 * version is below the new high-water mark, so later passes never list it again until it changes (or
 * reconciliation repairs it). That is why the forum keeps its own kind, {@code forum-rest}, whose anchored walk
 * (decision 0004) detects shifted pages: under the same interleaving it skips nothing (decision 0030).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForumDefinitionSyncIT {

    private static final String SOURCE_ID = "forum-sim";
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path dir;

    private EmbeddedKafkaKraftBroker kafka;
    private ConfigurableApplicationContext simulator;
    private ListingProxy proxy;
    private ConfigurableApplicationContext writer;
    private ConfigurableApplicationContext poller;
    private ForumComparison comparison;
    private Path definition;

    @BeforeAll
    void startEverything() throws Exception {
        kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.afterPropertiesSet();
        simulator = ForumSimulatorApplication.builder().run(
                "--server.port=0",
                "--forum-simulator.database=" + dir.resolve("forum-simulator.db"),
                "--forum-simulator.seed.users=500",
                "--forum-simulator.seed.sections=12",
                "--forum-simulator.seed.topics=1500",
                "--forum-simulator.seed.messages=8000",
                "--forum-simulator.faults.error-rate=0.03",
                // below the definition's own rate limit (20/s, burst 40): 429s with Retry-After happen
                "--forum-simulator.faults.rate-limit-per-second=15");
        proxy = new ListingProxy(PipelineServices.port(simulator));
        String yaml = Files.readString(Path.of("..", "examples", "forum.yaml"))
                .replace("baseUrl: http://localhost:8081/api", "baseUrl: http://127.0.0.1:" + proxy.port() + "/api")
                .replace("schedule: {interval: 5s}", "schedule: {interval: 1s}");
        assertThat(yaml).contains("127.0.0.1:" + proxy.port()).contains("interval: 1s");
        definition = Files.writeString(dir.resolve("forum.yaml"), yaml);
        Path mainDb = dir.resolve("tributary.db");
        writer = PipelineServices.writer(kafka.getBrokersAsString(), mainDb);
        comparison = new ForumComparison(simulator.getBean(ForumStore.class), "jdbc:sqlite:" + mainDb, SOURCE_ID);
    }

    @AfterAll
    void stopEverything() {
        PipelineServices.stop(kafka, poller, writer, simulator);
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    @Order(1)
    void theInitialWalkCopiesEveryRecordWhileRecordsAreCreated() throws Exception {
        ForumMutator mutator = simulator.getBean(ForumMutator.class);
        AtomicInteger created = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ScheduledExecutorService creator = Executors.newSingleThreadScheduledExecutor();
        startPoller();
        try {
            // New records go to the end of a listing ordered by updated_at: no page shifts under the walk.
            creator.scheduleAtFixedRate(() -> {
                try {
                    if (created.get() < 600) {
                        created.addAndGet(mutator.create(20).size());
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            await("records created during the walk").atMost(Duration.ofMinutes(1)).until(() -> created.get() >= 600);
        } finally {
            creator.shutdownNow();
        }
        assertThat(failure.get()).as("creating records failed").isNull();
        awaitZeroDifferences();
        MeterRegistry registry = poller.getBean(MeterRegistry.class);
        assertThat(registry.find("tributary.poller.requests").tag("status", "5xx").counters().stream()
                .mapToDouble(Counter::count).sum()).as("5xx answered and retried").isPositive();
        assertThat(registry.find("tributary.poller.requests").tag("status", "429").counters().stream()
                .mapToDouble(Counter::count).sum()).as("429 answered and retried").isPositive();
    }

    @Test
    @Order(2)
    void changesMadeBetweenPassesArriveIncludingTiesLargerThanAPageAndAfterARestart() throws Exception {
        poller.close(); // no walk runs while the forum changes: the condition 0019's passes need
        poller = null;
        ForumMutator mutator = simulator.getBean(ForumMutator.class);
        int changes = mutator.update(300).size() + mutator.create(100).size()
                + mutator.bulkUpdate("messages", 250).size() // 250 records sharing one updated_at: 2.5 pages
                + mutator.bulkUpdate("users", 250).size();
        assertThat(changes).isEqualTo(900);
        long deepPages = proxy.count("/api/messages", 10);
        assertThat(deepPages).as("the initial walk read page 10 of the messages").isPositive();
        startPoller(); // resumes from its checkpoints (high-water marks): only what changed since is listed
        awaitZeroDifferences();
        assertThat(proxy.count("/api/messages", 10)).as("resumed from the high-water mark, not from the beginning:"
                + " fewer than 900 changed records never fill 10 pages").isEqualTo(deepPages);
    }

    @Test
    @Order(3)
    void aRecordThatSlidesBackOntoAReadPageIsSkippedUntilItsNextChange() throws Exception {
        ForumMutator mutator = simulator.getBean(ForumMutator.class);
        ForumStore store = simulator.getBean(ForumStore.class);
        // One record alone at the high-water mark, then 150 sharing a newer updated_at: the next message pass lists
        // the lone record and 99 of them on page 1, the other 51 on page 2.
        mutator.update("messages", 1);
        awaitZeroDifferences();
        mutator.bulkUpdate("messages", 150);
        AtomicReference<String> skipped = new AtomicReference<>();
        AtomicReference<String> moved = new AtomicReference<>();
        proxy.beforeNext("/api/messages", 2, query -> {
            // Between page 1 and page 2 the forum updates the first record of page 1: it moves to the end of the
            // listing, and the first record of page 2 slides back onto page 1, which the walk has read already.
            long since = Instant.parse(query.get("updated_since")).toEpochMilli();
            ForumPage first = store.page(ForumCollection.MESSAGES, since, 1, 100);
            ForumPage second = store.page(ForumCollection.MESSAGES, since, 2, 100);
            moved.set((String) first.data().get(0).get("id"));
            skipped.set((String) second.data().get(0).get("id"));
            touch(moved.get(), "moved to the end of the listing while page 2 was asked for");
        });
        await("the walk reached page 2").atMost(Duration.ofSeconds(60)).until(proxy::hookRan);
        await("the pass applied: only the record that slid back differs").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> onlyStale(skipped.get()));
        long passes = proxy.count("/api/messages", 1);
        await("three more passes of messages").atMost(Duration.ofSeconds(60))
                .until(() -> proxy.count("/api/messages", 1) >= passes + 4);
        onlyStale(skipped.get()); // still: later passes list from the high-water mark, above its version

        touch(skipped.get(), "its next change"); // listed again from the high-water mark on
        awaitZeroDifferences();
    }

    @Test
    @Order(4)
    void theSameInterleavingUnderTheForumsOwnKindSkipsNothing() throws Exception {
        poller.close();
        poller = null;
        ForumStore store = simulator.getBean(ForumStore.class);
        ForumMutator mutator = simulator.getBean(ForumMutator.class);
        String keysetSource = "forum-keyset";
        ForumComparison keyset = new ForumComparison(store, "jdbc:sqlite:" + dir.resolve("tributary.db"), keysetSource);
        poller = PollerApplication.builder().run("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--tributary.poller.sources[0].id=" + keysetSource,
                "--tributary.poller.sources[0].kind=forum-rest",
                "--tributary.poller.sources[0].base-url=http://127.0.0.1:" + proxy.port(),
                "--tributary.poller.sources[0].poll-interval=1s");
        awaitZeroDifferences(keyset);
        mutator.update("messages", 1);
        awaitZeroDifferences(keyset);
        mutator.bulkUpdate("messages", 150); // a tie group larger than a page: the walk asks for a page 2 in it
        proxy.beforeNext("/api/messages", 2, query -> {
            long since = Instant.parse(query.get("updated_since")).toEpochMilli();
            touch((String) store.page(ForumCollection.MESSAGES, since, 1, 100).data().get(0).get("id"),
                    "moved to the end of the listing while page 2 was asked for");
        });
        await("the walk reached page 2").atMost(Duration.ofSeconds(60)).until(proxy::hookRan);
        awaitZeroDifferences(keyset); // the anchored walk saw its page shift and stepped back (decision 0004)
    }

    /** Every entity equal to the source but one message, {@code id}, which keeps its previous version in the main DB. */
    private void onlyStale(String id) {
        List<SyncDifferences> differences = comparison.compareAll();
        String all = ForumComparison.describe(differences);
        SyncDifferences messages = differences.stream().filter(d -> d.entity().equals("messages")).findFirst()
                .orElseThrow();
        assertThat(messages.missing() + messages.extra()).as(all).isZero();
        assertThat(messages.samples()).as(all).isNotEmpty().allMatch(sample -> sample.startsWith(id + "."))
                .anyMatch(sample -> sample.startsWith(id + ".updated_at:"));
        assertThat(messages.different()).as(all).isEqualTo(messages.samples().size());
        assertThat(differences.stream().filter(d -> !d.entity().equals("messages"))).as(all)
                .allMatch(SyncDifferences::none);
    }

    /** The forum changes one message: a new body and a new {@code updated_at}, above every one handed out. */
    private void touch(String messageId, String body) {
        SimulatorState state = simulator.getBean(SimulatorState.class);
        simulator.getBean(SqliteDatabase.class).write(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE messages SET body = ?, updated_at = ? WHERE id = ?")) {
                update.setString(1, body + " " + System.nanoTime());
                update.setLong(2, state.nextTimestamp(Long.MIN_VALUE));
                update.setString(3, messageId);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
            return null;
        });
    }

    private void startPoller() {
        poller = PollerApplication.builder().run("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--tributary.poller.sources[0].id=" + SOURCE_ID,
                "--tributary.poller.sources[0].kind=rest",
                "--tributary.poller.sources[0].definition=" + definition);
    }

    private void awaitZeroDifferences() {
        awaitZeroDifferences(comparison);
    }

    private static void awaitZeroDifferences(ForumComparison comparison) {
        await("main DB counts equal the source's").atMost(SYNC_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(comparison::countsMatch);
        await("zero differences, row by row").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    List<SyncDifferences> differences = comparison.compareAll();
                    assertThat(differences).as(ForumComparison.describe(differences)).allMatch(SyncDifferences::none);
                });
    }
}
