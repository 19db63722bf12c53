package io.tributary.e2e;

import static io.tributary.e2e.BrokerRestartIT.awaitBetween;
import static io.tributary.e2e.BrokerRestartIT.awaitZeroDifferences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventJson;
import io.tributary.model.ChangeTopics;
import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Services killed outright ({@code SIGKILL}: no shutdown hook, no last commit) in the middle of a sync,
 * each run in its own JVM ({@link ChildJvms}) and restarted, each test ending in zero differences row by
 * row (issue 4):
 * <ol>
 *   <li>the writer, twice, each time the moment a new batch shows in the main DB (the second time while it
 *       catches up with a backlog): the events the main DB holds beyond the group's committed offsets
 *       prove a kill between a database commit and its offset commit; the restarted writer receives them
 *       again and applies them idempotently;</li>
 *   <li>the poller, at several seeded random moments of its messages walk, each right after the broker
 *       appended (acknowledged) some of its events: a kill that leaves acknowledged events beyond the
 *       checkpoint is one between Kafka's acknowledgement and the checkpoint; the next poller resumes from
 *       the checkpoint (it does not walk everything again) and publishes those events again.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HardKillIT {

    private static final Logger LOG = LoggerFactory.getLogger(HardKillIT.class);
    private static final int SIGKILLED = 137;
    private static final long SEED = 20261122L;
    private static final String MESSAGES_TOPIC = ChangeTopics.forEntity("messages");
    private static final String CHECKPOINTS_TOPIC = "tributary.poller.checkpoints";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    private EmbeddedKafkaKraftBroker kafka;
    private String bootstrap;
    private ChildJvms jvms;
    private ConfigurableApplicationContext simulator;
    private ForumStore store;
    private ForumMutator mutator;

    @BeforeAll
    void startBrokerAndForum() {
        kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.afterPropertiesSet();
        bootstrap = kafka.getBrokersAsString();
        jvms = new ChildJvms(dir.resolve("logs"));
        simulator = ForumSimulatorApplication.builder().run(
                "--server.port=0",
                "--forum-simulator.database=" + dir.resolve("forum-simulator.db"),
                // 3,810 records, messages nested several levels deep
                "--forum-simulator.seed.users=200",
                "--forum-simulator.seed.sections=10",
                "--forum-simulator.seed.topics=600",
                "--forum-simulator.seed.messages=3000");
        store = simulator.getBean(ForumStore.class);
        mutator = simulator.getBean(ForumMutator.class);
    }

    @AfterAll
    void stopEverything() {
        if (jvms != null) {
            jvms.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    @Order(1)
    void writerKilledWhileApplyingBatchesAndRestartedConverges() {
        String source = "kill-writer";
        Path mainDb = dir.resolve("kill-writer.db");
        ForumComparison comparison = new ForumComparison(store, "jdbc:sqlite:" + mainDb, source);
        String[] writerArgs = {"--tributary.writer.consumer.group-id=kill-writer",
                // small transactions: many batches in flight when the kill comes
                "--tributary.writer.consumer.max-poll-records=100",
                // A killed member leaves no LeaveGroup: the group waits a whole session timeout (45 s by
                // default) before its successor gets the partitions. The broker's minimum keeps this test short.
                "--spring.kafka.consumer.properties[session.timeout.ms]=6000",
                "--spring.kafka.consumer.properties[heartbeat.interval.ms]=1000"};
        ChildJvms.Child writer = jvms.writer(bootstrap, mainDb, writerArgs);
        awaitChangeTopics();
        try (ConfigurableApplicationContext poller = PipelineServices.poller(bootstrap, source, simulator,
                "--tributary.poller.sources[0].poll-interval=200ms")) {
            long messages = store.count("messages");
            awaitBetween("messages live in the main DB", () -> comparison.liveRows("messages"), 1, messages);
            long aheadOfOffsets = killBetweenCommits(writer, "kill-writer", source, mainDb);
            long liveAtFirstKill = comparison.liveRows("messages");
            assertThat(liveAtFirstKill).as("messages live when the writer was killed").isBetween(1L, messages - 1);
            // The source keeps changing while no writer runs; the poller keeps publishing: a backlog builds up.
            mutator.create(30);
            mutator.update(60);

            writer = jvms.writer(bootstrap, mainDb, writerArgs);
            long total = store.count("messages");
            awaitBetween("messages live after the restart", () -> comparison.liveRows("messages"),
                    liveAtFirstKill + 1, total);
            aheadOfOffsets += killBetweenCommits(writer, "kill-writer", source, mainDb);

            writer = jvms.writer(bootstrap, mainDb, writerArgs);
            awaitZeroDifferences(comparison);
            assertThat(comparison.placeholders()).as("placeholder rows left").isZero();
            assertThat(writer.isAlive()).as("the last writer runs: " + writer.logTail()).isTrue();
            assertThat(aheadOfOffsets).as("message events in the main DB but beyond the committed offsets when a"
                    + " writer was killed (a kill between a database commit and its offset commit)").isPositive();
        } finally {
            writer.kill();
        }
    }

    @Test
    @Order(2)
    void pollerKilledAtRandomMomentsOfItsWalkResumesFromItsCheckpointAndConverges() {
        String source = "kill-poller";
        Path mainDb = dir.resolve("kill-poller.db");
        ForumComparison comparison = new ForumComparison(store, "jdbc:sqlite:" + mainDb, source);
        long messages = store.count("messages");
        Random random = new Random(SEED);
        // Four kills, at a random point of each of four bands of the walk (k/5 to k/5 + 1/6 of it).
        List<Long> killAt = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
            killAt.add(k * messages / 5 + (long) (random.nextDouble() * messages / 6));
        }
        String[] pollerArgs = {"--tributary.poller.sources[0].poll-interval=200ms",
                "--tributary.poller.sources[0].retry.min-backoff=50ms"};
        int port = PipelineServices.port(simulator);
        int inTheWindow = 0;
        long distinctAtLastKill = 0;
        long beyondAtLastKill = 0;
        try (ConfigurableApplicationContext writer = PipelineServices.writer(bootstrap, mainDb,
                     "--tributary.writer.consumer.group-id=kill-poller");
             PublishedMessages published = new PublishedMessages(bootstrap, source)) {
            for (long threshold : killAt) {
                long before = published.count();
                ChildJvms.Child poller = jvms.poller(bootstrap, source, port, pollerArgs);
                published.awaitAtLeast(threshold, poller);
                assertThat(poller.kill()).as("exit status of %s", poller).isEqualTo(SIGKILLED);
                published.drain();
                long beyond = published.beyondCheckpoint();
                LOG.info("Poller killed after {} message events ({} by this poller); {} acknowledged but not"
                        + " checkpointed", published.count(), published.count() - before, beyond);
                if (beyond > 0) {
                    inTheWindow++;
                }
                distinctAtLastKill = published.distinct();
                beyondAtLastKill = beyond;
                assertThat(published.distinct()).as("distinct messages published when killed").isLessThan(messages);
            }

            long before = published.count();
            ChildJvms.Child last = jvms.poller(bootstrap, source, port, pollerArgs);
            try {
                awaitZeroDifferences(comparison);
                published.drain();
                assertThat(last.isAlive()).as("the last poller runs: " + last.logTail()).isTrue();
            } finally {
                last.kill();
            }
            // It resumed from the checkpoint, not from the start: it published what was left, what its
            // predecessor had published beyond the checkpoint, and at most a couple of pages more (the
            // cursor re-reads the records sharing the checkpoint's updated_at).
            assertThat(published.count() - before).as("messages the last poller published")
                    .isLessThan(messages)
                    .isLessThanOrEqualTo(messages - distinctAtLastKill + beyondAtLastKill + 2 * 100);
            assertThat(published.distinct()).isEqualTo(messages);
            assertThat(comparison.placeholders()).as("placeholder rows left").isZero();
            assertThat(inTheWindow).as("kills that left acknowledged events beyond the checkpoint").isPositive();
        }
    }

    /**
     * How many message events at or beyond the group's committed offsets the main DB already holds (row
     * version at least the event's), read after a kill, when neither can change: non-zero means the kill
     * fell between a database commit and its offset commit, so the restarted writer receives those events
     * again. Each kill comes the moment a new commit shows in the main DB, which is when that window is open.
     */
    /**
     * Kills the writer where it is caught between a database commit and its offset commit, the moment a crash
     * makes the next writer re-apply what is already in the database. That window lasts a few milliseconds of each
     * batch, so a kill at one random moment seldom falls in it: the writer is frozen ({@code SIGSTOP}) at successive
     * moments of its work and measured while frozen, so the state measured is exactly the state it is killed in;
     * it goes on ({@code SIGCONT}) until a freeze falls in the window, or the probes run out (the writer is killed
     * anyway and the caller's assertion tells).
     */
    private long killBetweenCommits(ChildJvms.Child writer, String group, String source, Path mainDb) {
        for (int probe = 1; ; probe++) {
            writer.freeze();
            long ahead = appliedBeyondCommittedOffsets(group, source, mainDb);
            if (ahead > 0 || probe == 300) {
                LOG.info("Writer killed at probe {}: {} message event(s) beyond its committed offsets already in the main"
                        + " DB (> 0: killed between a database commit and its offset commit)", probe, ahead);
                assertThat(writer.kill()).as("exit status of %s", writer).isEqualTo(SIGKILLED);
                return ahead;
            }
            writer.thaw();
        }
    }

    private long appliedBeyondCommittedOffsets(String group, String source, Path mainDb) {
        Map<TopicPartition, Long> committed = new HashMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .forEach((tp, offset) -> {
                        if (tp.topic().equals(MESSAGES_TOPIC) && offset != null) {
                            committed.put(tp, offset.offset());
                        }
                    });
        } catch (Exception e) {
            throw new IllegalStateException("Failed to read the committed offsets of " + group, e);
        }
        Map<String, Long> beyond = new HashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(MESSAGES_TOPIC, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(MESSAGES_TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, committed.getOrDefault(tp, 0L)));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    ChangeEvent event = ChangeEventJson.read(record.value());
                    if (event.sourceId().equals(source)) {
                        beyond.merge(event.externalId(), event.sourceVersion(), Math::min);
                    }
                }
            }
        }
        long applied = 0;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + mainDb);
             PreparedStatement st = db.prepareStatement("SELECT external_id, source_version FROM messages"
                     + " WHERE source_id = ? AND source_version > 0")) {
            st.setString(1, source);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Long eventVersion = beyond.get(rs.getString(1));
                    if (eventVersion != null && rs.getLong(2) >= eventVersion) {
                        applied++;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read the main DB " + mainDb, e);
        }
        LOG.debug("Writer frozen: {} message event(s) beyond the committed offsets {}, {} of them already in the"
                + " main DB (> 0: killed between a database commit and its offset commit)", beyond.size(),
                committed.values(), applied);
        return applied;
    }

    private void awaitChangeTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            await("the writer created the change topics").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(MESSAGES_TOPIC));
        }
    }

    /**
     * The poller's message events as the broker acknowledged them (a consumer sees a record once it is
     * appended, the moment the producer's {@code acks=all} is answered on a single broker), and its
     * messages checkpoint read back from the checkpoint topic.
     */
    private static final class PublishedMessages implements AutoCloseable {

        private record Position(Instant updatedAt, String id) implements Comparable<Position> {
            @Override
            public int compareTo(Position other) {
                int byTime = updatedAt.compareTo(other.updatedAt);
                return byTime != 0 ? byTime : id.compareTo(other.id);
            }
        }

        private final String bootstrap;
        private final String source;
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<Position> events = new ArrayList<>();
        private final Map<String, Boolean> ids = new HashMap<>();

        PublishedMessages(String bootstrap, String source) {
            this.bootstrap = bootstrap;
            this.source = source;
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(MESSAGES_TOPIC, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(MESSAGES_TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        long count() {
            return events.size();
        }

        long distinct() {
            return ids.size();
        }

        /** Polls until this source's message events number at least {@code n}; fails if the poller died. */
        void awaitAtLeast(long n, ChildJvms.Child poller) {
            await("message events published by " + poller).atMost(Duration.ofMinutes(1))
                    .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                        assertThat(poller.isAlive()).as("the poller runs: " + poller.logTail()).isTrue();
                        poll(Duration.ofMillis(5));
                        return events.size() >= n;
                    });
        }

        /** Reads to the end offsets: everything the broker appended before this call. */
        void drain() {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(10));
            await("message events read to the end").atMost(Duration.ofSeconds(30)).pollInSameThread()
                    .pollInterval(Duration.ofMillis(1)).until(() -> {
                        poll(Duration.ofMillis(50));
                        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                    });
        }

        private void poll(Duration timeout) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
                ChangeEvent event = ChangeEventJson.read(record.value());
                if (event.sourceId().equals(source)) {
                    events.add(new Position(Instant.parse((String) event.payload().get("updated_at")),
                            event.externalId()));
                    ids.put(event.externalId(), Boolean.TRUE);
                }
            }
        }

        /** Message events published beyond the last messages checkpoint: acknowledged, not checkpointed. */
        long beyondCheckpoint() {
            Position checkpoint = lastCheckpoint();
            return events.stream().filter(p -> checkpoint == null || p.compareTo(checkpoint) > 0)
                    .map(Position::id).distinct().count();
        }

        private Position lastCheckpoint() {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            Map<String, String> last = null;
            try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props, new StringDeserializer(),
                    new StringDeserializer())) {
                List<TopicPartition> partitions = reader.partitionsFor(CHECKPOINTS_TOPIC, Duration.ofSeconds(10))
                        .stream().map(p -> new TopicPartition(CHECKPOINTS_TOPIC, p.partition())).toList();
                reader.assign(partitions);
                reader.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = reader.endOffsets(partitions, Duration.ofSeconds(10));
                while (partitions.stream().anyMatch(p -> reader.position(p) < end.get(p))) {
                    for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(100))) {
                        if ((source + "/messages").equals(record.key())) {
                            last = record.value() == null ? null
                                    : JSON.readValue(record.value(), new TypeReference<Map<String, String>>() { });
                        }
                    }
                }
            }
            if (last == null || last.get("updated_at") == null) {
                return null;
            }
            return new Position(Instant.parse(last.get("updated_at")), last.getOrDefault("last_id", ""));
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
