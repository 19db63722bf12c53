package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Kafka broker restarted in the middle of a forum sync, on the same ports and the same log directory
 * (issue 4): a real broker in its own JVM ({@link KafkaBrokerProcess}), stopped gracefully once and killed
 * once ({@code SIGKILL}), each time while the writer is applying and the poller is walking, with the source
 * changing while the broker is down. The poller's and the writer's own clients reconnect; the sync ends in
 * zero differences, row by row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerRestartIT {

    private static final String SOURCE = "broker-restart";

    @TempDir
    static Path dir;

    private ChildJvms jvms;
    private KafkaBrokerProcess kafka;
    private ConfigurableApplicationContext simulator;
    private ConfigurableApplicationContext writer;
    private ConfigurableApplicationContext poller;

    @BeforeAll
    void startBrokerForumAndWriter() {
        jvms = new ChildJvms(dir.resolve("logs"));
        kafka = new KafkaBrokerProcess(jvms, dir.resolve("kafka"));
        kafka.start();
        simulator = ForumSimulatorApplication.builder().run(
                "--server.port=0",
                "--forum-simulator.database=" + dir.resolve("forum-simulator.db"),
                // 6,310 records, messages nested several levels deep
                "--forum-simulator.seed.users=300",
                "--forum-simulator.seed.sections=10",
                "--forum-simulator.seed.topics=1000",
                "--forum-simulator.seed.messages=5000",
                "--forum-simulator.faults.error-rate=0.02");
        writer = PipelineServices.writer(kafka.bootstrap(), dir.resolve("tributary.db"),
                "--tributary.writer.consumer.max-poll-records=100");
    }

    @AfterAll
    void stopEverything() {
        for (AutoCloseable closeable : new AutoCloseable[] {poller, writer, simulator, kafka, jvms}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // keep closing the others
                }
            }
        }
    }

    @Test
    void brokerStoppedAndKilledMidSyncAndRestartedOnTheSamePortAndLogDirConverges() {
        ForumStore store = simulator.getBean(ForumStore.class);
        ForumMutator mutator = simulator.getBean(ForumMutator.class);
        ForumComparison comparison = new ForumComparison(store, "jdbc:sqlite:" + dir.resolve("tributary.db"), SOURCE);
        long messages = store.count("messages");
        poller = PipelineServices.poller(kafka.bootstrap(), SOURCE, simulator,
                "--tributary.poller.sources[0].poll-interval=200ms",
                "--tributary.poller.sources[0].retry.min-backoff=50ms");

        awaitBetween("messages live in the main DB", () -> comparison.liveRows("messages"), 1, messages);
        kafka.stop();
        long liveAtStop = comparison.liveRows("messages");
        // The source changes while no broker runs; the poller's sends wait or fail and are retried.
        mutator.create(20);
        mutator.update(40);
        kafka.start();

        // Progress after the restart proves both services reconnected; then a crash of the broker.
        awaitBetween("messages live after the first restart", () -> comparison.liveRows("messages"),
                liveAtStop + 1, store.count("messages"));
        assertThat(kafka.kill()).as("the broker's exit status (SIGKILL)").isEqualTo(137);
        mutator.create(20);
        mutator.update(40);
        kafka.start();

        awaitZeroDifferences(comparison);
        assertThat(comparison.placeholders()).as("placeholder rows left").isZero();
    }

    /** Waits until {@code min <= value < maxExclusive}: the fault is then injected in the middle of the work. */
    static void awaitBetween(String what, LongSupplier value, long min, long maxExclusive) {
        await(what + " in [" + min + ", " + maxExclusive + ")").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(10)).until(() -> {
                    long v = value.getAsLong();
                    assertThat(v).as(what + ": the work ended before the fault could be injected")
                            .isLessThan(maxExclusive);
                    return v >= min;
                });
    }

    static void awaitZeroDifferences(ForumComparison comparison) {
        await("main DB counts equal the source's").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(comparison::countsMatch);
        await("zero differences, row by row").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    List<SyncDifferences> differences = comparison.compareAll();
                    assertThat(differences).as(ForumComparison.describe(differences)).allMatch(SyncDifferences::none);
                });
    }
}
