package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
 * The whole pipeline with the services' real code: the simulated forum (with 5xx and 429 injected) →
 * poller-service → a real Kafka broker (KRaft) → writer-service → a SQLite main DB, compared with the
 * source row by row, field by field, references resolved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForumSyncIT {

    private static final String SOURCE_ID = "forum-sim";
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path dir;

    private EmbeddedKafkaKraftBroker kafka;
    private ConfigurableApplicationContext simulator;
    private ConfigurableApplicationContext writer;
    private ConfigurableApplicationContext poller;
    private ForumComparison comparison;

    /** Settings are passed as command-line arguments: they outrank each service's own yml file. */
    @BeforeAll
    void startEverything() {
        kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.afterPropertiesSet();
        String bootstrap = kafka.getBrokersAsString();

        simulator = ForumSimulatorApplication.builder().run(
                "--server.port=0",
                "--forum-simulator.database=" + dir.resolve("forum-simulator.db"),
                // 21,020 records, messages nested several levels deep
                "--forum-simulator.seed.users=1000",
                "--forum-simulator.seed.sections=20",
                "--forum-simulator.seed.topics=3000",
                "--forum-simulator.seed.messages=17000",
                "--forum-simulator.faults.error-rate=0.03",
                "--forum-simulator.faults.rate-limit-per-second=60");
        Path mainDb = dir.resolve("tributary.db");
        writer = PipelineServices.writer(bootstrap, mainDb);
        poller = PipelineServices.poller(bootstrap, SOURCE_ID, simulator,
                "--tributary.poller.sources[0].poll-interval=200ms");
        comparison = new ForumComparison(simulator.getBean(ForumStore.class), "jdbc:sqlite:" + mainDb, SOURCE_ID);
    }

    @AfterAll
    void stopEverything() {
        PipelineServices.stop(kafka, poller, writer, simulator);
    }

    @Test
    @Order(1)
    void initialSyncCopiesEveryRecord() {
        ForumStore source = simulator.getBean(ForumStore.class);
        long total = ForumEntity.ALL.stream().mapToLong(e -> source.count(e.name())).sum();
        assertThat(total).isGreaterThanOrEqualTo(20_000);

        awaitZeroDifferences();
    }

    @Test
    @Order(2)
    void changesMadeDuringSyncArriveToo() throws InterruptedException {
        ForumMutator mutator = simulator.getBean(ForumMutator.class);
        int rounds = 30;
        CountDownLatch done = new CountDownLatch(rounds);
        AtomicInteger changes = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        String[] bulkTargets = {"messages", "topics", "users"};
        ScheduledExecutorService changer = Executors.newSingleThreadScheduledExecutor();
        try {
            // a round every 100 ms while the poller keeps polling every 200 ms: pages shift under its walks
            changer.scheduleAtFixedRate(() -> {
                if (done.getCount() == 0) {
                    return;
                }
                try {
                    int round = (int) (rounds - done.getCount());
                    changes.addAndGet(mutator.create(20).size());
                    changes.addAndGet(mutator.update(60).size());
                    if (round % 5 == 0) {
                        // more records than fit on a page, sharing one updated_at
                        changes.addAndGet(mutator.bulkUpdate(bulkTargets[round / 5 % bulkTargets.length], 250).size());
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
                done.countDown();
            }, 0, 100, TimeUnit.MILLISECONDS);
            assertThat(done.await(2, TimeUnit.MINUTES)).as("mutation rounds finished").isTrue();
        } finally {
            changer.shutdownNow();
        }
        assertThat(failure.get()).as("mutations failed").isNull();
        assertThat(changes.get()).isGreaterThan(3_000);

        awaitZeroDifferences();
    }

    private void awaitZeroDifferences() {
        await("main DB counts equal the source's").atMost(SYNC_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(comparison::countsMatch);
        await("zero differences, row by row").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    List<SyncDifferences> differences = comparison.compareAll();
                    assertThat(differences).as(ForumComparison.describe(differences)).allMatch(SyncDifferences::none);
                });
    }
}
