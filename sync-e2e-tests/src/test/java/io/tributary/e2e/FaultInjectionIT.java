package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventJson;
import io.tributary.model.ChangeTopics;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * Faults injected in the middle of a sync, each test ending in zero differences row by row (issue 4). One
 * broker, one simulated forum (~10,000 records, 3 % of requests failing with 5xx and 5 % answered slowly)
 * and one main database serve every test; each test syncs the forum afresh under its own source id (its
 * own poll cursors and its own rows), so each has a whole walk in which to inject its fault:
 * <ol>
 *   <li>the writer stopped while it applies, and a new writer started on the same database and consumer
 *       group: it resumes from the committed offsets, nothing is lost, no placeholder is left;</li>
 *   <li>the poller stopped in the middle of its messages walk, and a new one started with the same source
 *       id: it resumes from its checkpoint (it does not walk everything again) and catches changes made
 *       while it was down;</li>
 *   <li>two poison events produced onto the messages topic during a sync: both on the dead-letter topic
 *       with their reason, the sync still converges, and the writer's dead-letter counter says 2;</li>
 *   <li>pages slower than the poller's response timeout in the middle of its walks (a forum of its own
 *       where 10 % of requests take 2 s, a timeout of 500 ms): each such request times out and is
 *       retried, and the sync converges.</li>
 * </ol>
 * A stopped context is closed gracefully (a JVM cannot kill a part of itself): the writer finishes and
 * commits its batch in flight, the poller abandons its page in flight. A crash between the database commit
 * and the offset commit (redelivery of an applied batch) is covered by the writer's
 * {@code RandomHistoryPropertyTest}, and end to end by {@code HardKillIT}, which kills child JVMs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);
    private static final String WRITER_GROUP = "tributary-writer-faults";

    @TempDir
    static Path dir;

    private EmbeddedKafkaKraftBroker kafka;
    private String bootstrap;
    private ConfigurableApplicationContext simulator;
    private ConfigurableApplicationContext writer;
    private Path mainDb;
    private ForumStore store;
    private ForumMutator mutator;

    @BeforeAll
    void startBrokerForumAndWriter() {
        kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.afterPropertiesSet();
        bootstrap = kafka.getBrokersAsString();
        simulator = ForumSimulatorApplication.builder().run(
                "--server.port=0",
                "--forum-simulator.database=" + dir.resolve("forum-simulator.db"),
                // 10,010 records, messages nested several levels deep
                "--forum-simulator.seed.users=500",
                "--forum-simulator.seed.sections=10",
                "--forum-simulator.seed.topics=1500",
                "--forum-simulator.seed.messages=8000",
                "--forum-simulator.faults.error-rate=0.03",
                "--forum-simulator.faults.slow-rate=0.05",
                "--forum-simulator.faults.slow-delay=200ms");
        store = simulator.getBean(ForumStore.class);
        mutator = simulator.getBean(ForumMutator.class);
        mainDb = dir.resolve("tributary.db");
        writer = startWriter();
    }

    @AfterAll
    void stopEverything() {
        PipelineServices.stop(kafka, writer, simulator);
    }

    @Test
    @Order(1)
    void writerStoppedWhileApplyingAndRestartedOnTheSameDatabaseAndGroupConverges() {
        String source = "kill-writer";
        ForumComparison comparison = comparison(source);
        long messages = store.count("messages");
        try (ConfigurableApplicationContext poller = startPoller(source)) {
            awaitBetween("messages live in the main DB", () -> comparison.liveRows("messages"), 1, messages);

            writer.close();
            long liveAtStop = comparison.liveRows("messages");
            assertThat(liveAtStop).as("messages live when the writer stopped").isBetween(1L, messages - 1);
            // The source keeps changing while no writer runs; the poller keeps publishing.
            mutator.create(30);
            mutator.update(60);

            writer = startWriter();
            awaitZeroDifferences(comparison);

            assertThat(comparison.placeholders()).as("placeholder rows left").isZero();
            assertThat(sum(writer, "tributary.writer.applied", "messages"))
                    .as("message events the new writer read (it resumed from the group's committed offsets)")
                    .isPositive().isLessThan(published(poller, source, "messages"));
        }
    }

    @Test
    @Order(2)
    void pollerStoppedMidWalkAndRestartedResumesFromItsCheckpointAndConverges() {
        String source = "restart-poller";
        ForumComparison comparison = comparison(source);
        long messages = store.count("messages");
        double publishedBeforeStop;
        try (ConfigurableApplicationContext first = startPoller(source)) {
            // At least three pages published: the first page's checkpoint is certainly committed.
            awaitBetween("messages published by the first poller", () -> (long) published(first, source, "messages"),
                    300, messages);
            publishedBeforeStop = published(first, source, "messages");
        }
        assertThat(publishedBeforeStop).isLessThan(messages);
        mutator.create(20);
        mutator.update(40);

        try (ConfigurableApplicationContext second = startPoller(source)) {
            awaitZeroDifferences(comparison);

            assertThat(published(second, source, "messages"))
                    .as("messages published after the restart (resumed from the checkpoint, not from the start)")
                    .isLessThan(store.count("messages"));
            assertThat(comparison.placeholders()).as("placeholder rows left").isZero();
        }
    }

    @Test
    @Order(3)
    void poisonEventsMidStreamAreDeadLetteredWithTheirReasonAndTheSyncConverges() {
        String source = "poison";
        ForumComparison comparison = comparison(source);
        long messages = store.count("messages");
        Map<String, Object> noBody = Map.of("topic_id", "t-1", "user_id", "u-1",
                "created_at", "2026-11-21T10:15:30.123Z", "updated_at", "2026-11-21T10:15:30.123Z");
        ChangeEvent invalid = ChangeEvent.of(source, "messages", "m-invalid", Operation.UPSERT, 1_700_000_000_000L,
                Instant.now(), Origin.POLL, noBody);
        try (ConfigurableApplicationContext poller = startPoller(source)) {
            awaitBetween("messages live in the main DB", () -> comparison.liveRows("messages"), 1, messages);
            String topic = ChangeTopics.forEntity("messages");
            try (KafkaProducer<String, byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>(topic, source + ":m-garbled",
                        "{\"schemaVersion\": 1, not json".getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(topic, invalid.key().encode(), ChangeEventJson.write(invalid)));
                producer.flush();
            }

            awaitZeroDifferences(comparison);

            List<ConsumerRecord<String, byte[]>> deadLetters = readDeadLetters(ChangeTopics.deadLetterOf(topic), 2);
            assertThat(deadLetters).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder(source + ":m-garbled", source + ":m-invalid");
            assertThat(deadLetters).filteredOn(r -> r.key().endsWith(":m-garbled"))
                    .extracting(r -> header(r, "kafka_dlt-exception-message"))
                    .singleElement().asString().startsWith("Change event is not valid JSON");
            assertThat(deadLetters).filteredOn(r -> r.key().endsWith(":m-invalid"))
                    .extracting(r -> header(r, "kafka_dlt-exception-message"))
                    .containsExactly("Invalid UPSERT of messages poison:m-invalid v1700000000000: payload field 'body'"
                            + " is missing");
            assertThat(deadLetters).extracting(r -> header(r, "kafka_dlt-original-topic")).containsOnly(topic);
            assertThat(comparison.state("messages", "m-invalid")).isEqualTo(ForumComparison.RowState.ABSENT);
            MeterRegistry meters = writer.getBean(MeterRegistry.class);
            assertThat(meters.get("tributary.writer.dead.lettered").tag("entity", "messages").counter().count())
                    .as("tributary_writer_dead_lettered_total{entity=\"messages\"}").isEqualTo(2.0);
        }
    }

    @Test
    @Order(4)
    void pagesSlowerThanThePollersResponseTimeoutAreRetriedAndTheSyncConverges() {
        String source = "slow-pages";
        try (ConfigurableApplicationContext slowForum = ForumSimulatorApplication.builder().run(
                "--server.port=0",
                "--forum-simulator.database=" + dir.resolve("slow-forum.db"),
                "--forum-simulator.seed.users=100",
                "--forum-simulator.seed.sections=5",
                "--forum-simulator.seed.topics=300",
                "--forum-simulator.seed.messages=1500",
                "--forum-simulator.faults.slow-rate=0.1",
                "--forum-simulator.faults.slow-delay=2s");
             ConfigurableApplicationContext poller = PipelineServices.poller(bootstrap, source, slowForum,
                     "--tributary.poller.sources[0].poll-interval=200ms",
                     "--tributary.poller.sources[0].response-timeout=500ms",
                     "--tributary.poller.sources[0].retry.min-backoff=50ms")) {
            ForumComparison comparison = new ForumComparison(slowForum.getBean(ForumStore.class),
                    "jdbc:sqlite:" + mainDb, source);

            awaitZeroDifferences(comparison);

            double timedOut = poller.getBean(MeterRegistry.class).find("tributary.poller.requests")
                    .tag("source", source).tag("status", "none").counters().stream().mapToDouble(Counter::count).sum();
            assertThat(timedOut).as("requests that got no answer within the response timeout").isPositive();
            assertThat(comparison.placeholders()).as("placeholder rows left").isZero();
        }
    }

    private ConfigurableApplicationContext startWriter() {
        return PipelineServices.writer(bootstrap, mainDb,
                "--tributary.writer.consumer.group-id=" + WRITER_GROUP,
                // smaller transactions: more batches in flight while the faults are injected
                "--tributary.writer.consumer.max-poll-records=200");
    }

    private ConfigurableApplicationContext startPoller(String source) {
        return PipelineServices.poller(bootstrap, source, simulator,
                "--tributary.poller.sources[0].poll-interval=200ms",
                "--tributary.poller.sources[0].retry.min-backoff=50ms");
    }

    private ForumComparison comparison(String source) {
        return new ForumComparison(store, "jdbc:sqlite:" + mainDb, source);
    }

    /** Waits until {@code min <= value < maxExclusive}: the fault is then injected in the middle of the work. */
    private static void awaitBetween(String what, LongSupplier value, long min, long maxExclusive) {
        LongPredicate between = v -> v >= min && v < maxExclusive;
        await(what + " in [" + min + ", " + maxExclusive + ")").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(10)).until(() -> {
                    long v = value.getAsLong();
                    assertThat(v).as(what + ": the work ended before the fault could be injected").isLessThan(maxExclusive);
                    return between.test(v);
                });
    }

    private static void awaitZeroDifferences(ForumComparison comparison) {
        await("main DB counts equal the source's").atMost(SYNC_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(comparison::countsMatch);
        await("zero differences, row by row").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    List<SyncDifferences> differences = comparison.compareAll();
                    assertThat(differences).as(ForumComparison.describe(differences)).allMatch(SyncDifferences::none);
                });
    }

    private static double published(ConfigurableApplicationContext poller, String source, String entity) {
        Counter counter = poller.getBean(MeterRegistry.class).find("tributary.poller.records.published")
                .tag("source", source).tag("entity", entity).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Events of one entity the writer read, every op and outcome (applied, stale, duplicate). */
    private static double sum(ConfigurableApplicationContext writer, String meter, String entity) {
        return writer.getBean(MeterRegistry.class).find(meter).tag("entity", entity).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private List<ConsumerRecord<String, byte[]>> readDeadLetters(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-injection-dlt-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await("dead letters on " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
            // nothing else is dead-lettered: one more poll finds no further record
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        assertThat(records).hasSize(expected);
        return records;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
