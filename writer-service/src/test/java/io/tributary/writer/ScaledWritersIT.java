package io.tributary.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventJson;
import io.tributary.model.ChangeTopics;
import io.tributary.model.Operation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Scaled writers on one PostgreSQL database: two writer applications in one consumer group share six
 * partitions per change topic while thousands of events arrive (out-of-order versions, duplicates,
 * deletes, children before parents, references changing between versions); a third writer joins
 * mid-stream (a forced rebalance) and the first leaves. The database must end exactly in the state the
 * event history defines: per record, deleted if any delete, else the highest version's fields and
 * references — compared row by row.
 */
@EmbeddedKafka(partitions = 6, brokerProperties = "group.initial.rebalance.delay.ms=0")
class ScaledWritersIT {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String GROUP = "tributary-writer-scaled";
    private static final int PARTITIONS = 6;

    static PostgresTestDatabase postgres;
    static String brokers;
    static final List<ConfigurableApplicationContext> writers = new ArrayList<>();

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        brokers = broker.getBrokersAsString();
        postgres = PostgresTestDatabase.create("scaled");
    }

    @AfterAll
    static void stop() {
        writers.forEach(ConfigurableApplicationContext::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void writersJoiningAndLeavingMidStreamEndInExactlyTheStateTheHistoryDefines() throws Exception {
        History history = History.generate(new Random(7), 120, 12, 200, 1000);
        List<ChangeEvent> stream = history.stream();
        assertThat(stream).hasSizeGreaterThan(3000);

        ConfigurableApplicationContext first = startWriter();
        ConfigurableApplicationContext second = startWriter();

        AtomicInteger sent = new AtomicInteger();
        // The producer sends up to this many events; raised step by step so that each membership change
        // happens with events still to come, on a loaded machine too.
        AtomicInteger limit = new AtomicInteger(stream.size() / 2);
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // At most 25 events every 40 ms: the stream lasts several seconds.
            pacer.scheduleAtFixedRate(() -> {
                int from = sent.get();
                int to = Math.min(limit.get(), from + 25);
                for (ChangeEvent event : stream.subList(from, to)) {
                    producer.send(new ProducerRecord<>(event.topic(), event.key().encode(), ChangeEventJson.write(event)));
                }
                producer.flush();
                sent.set(to);
            }, 0, 40, TimeUnit.MILLISECONDS);

            await("a third of the stream sent").atMost(BOUND).until(() -> sent.get() >= stream.size() / 3);
            ConfigurableApplicationContext third = startWriter();
            await("the third writer assigned partitions").atMost(BOUND).until(() -> !assigned(third).isEmpty());
            limit.set(5 * stream.size() / 6);
            await("the third writer applying").atMost(BOUND).until(() -> batches(third) > 0);
            int sentBeforeLeaving = sent.get();
            first.close();
            writers.remove(first);
            assertThat(sentBeforeLeaving).as("the first writer leaves mid-stream").isLessThan(stream.size());
            limit.set(stream.size());
            await("the whole stream sent").atMost(BOUND).until(() -> sent.get() == stream.size());
            pacer.shutdown();
            assertThat(pacer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            await("every partition applied and committed").atMost(BOUND).untilAsserted(() ->
                    assertThat(committedOffsets()).isEqualTo(endOffsets()));
            assertThat(batches(second)).as("batches applied by the writer that stayed").isPositive();
            assertThat(deadLettered(second) + deadLettered(third)).isZero();
        } finally {
            pacer.shutdownNow();
        }

        Map<String, String> actual = actualState();
        Map<String, String> expected = history.expectedState();
        assertThat(actual.size()).isEqualTo(expected.size());
        assertThat(actual).isEqualTo(expected);
    }

    private static ConfigurableApplicationContext startWriter() {
        List<String> args = new ArrayList<>(List.of(postgres.writerArgs()));
        args.addAll(List.of("--spring.kafka.bootstrap-servers=" + brokers, "--server.port=0",
                "--tributary.writer.database.pool-size=2",
                "--tributary.writer.consumer.group-id=" + GROUP,
                "--tributary.writer.consumer.max-poll-records=150",
                "--tributary.writer.consumer.fetch-max-wait=20ms",
                "--tributary.writer.topics.partitions=" + PARTITIONS,
                "--tributary.writer.progress.interval=10s",
                // Rebalances are noticed at the next heartbeat: keep the test quick.
                "--spring.kafka.consumer.heartbeat-interval=500ms"));
        ConfigurableApplicationContext writer = WriterApplication.builder().run(args.toArray(String[]::new));
        writers.add(writer);
        return writer;
    }

    private static Collection<TopicPartition> assigned(ConfigurableApplicationContext writer) {
        Collection<TopicPartition> partitions = writer.getBean("writerListenerContainer", MessageListenerContainer.class)
                .getAssignedPartitions();
        return partitions == null ? List.of() : partitions;
    }

    private static long batches(ConfigurableApplicationContext writer) {
        return writer.getBean(MeterRegistry.class).get("tributary.writer.batch.size").summary().count();
    }

    private static double deadLettered(ConfigurableApplicationContext writer) {
        return writer.getBean(MeterRegistry.class).find("tributary.writer.dead.lettered").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    /** Every row as "entity:externalId" → its state, references as external ids. */
    private static Map<String, String> actualState() throws Exception {
        Map<String, String> state = new TreeMap<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            read(statement, state, "users", "SELECT r.external_id, r.source_version, r.deleted, r.name AS content,"
                    + " NULL AS ref1, NULL AS ref2, NULL AS ref3 FROM users r");
            read(statement, state, "sections", "SELECT r.external_id, r.source_version, r.deleted, r.title AS content,"
                    + " NULL AS ref1, NULL AS ref2, NULL AS ref3 FROM sections r");
            read(statement, state, "topics", "SELECT r.external_id, r.source_version, r.deleted, r.title AS content,"
                    + " s.external_id AS ref1, u.external_id AS ref2, NULL AS ref3 FROM topics r"
                    + " LEFT JOIN sections s ON s.id = r.section_id LEFT JOIN users u ON u.id = r.user_id");
            read(statement, state, "messages", "SELECT r.external_id, r.source_version, r.deleted, r.body AS content,"
                    + " t.external_id AS ref1, u.external_id AS ref2, p.external_id AS ref3 FROM messages r"
                    + " LEFT JOIN topics t ON t.id = r.topic_id LEFT JOIN users u ON u.id = r.user_id"
                    + " LEFT JOIN messages p ON p.id = r.parent_id");
        }
        return state;
    }

    private static void read(Statement statement, Map<String, String> state, String entity, String sql) throws Exception {
        try (ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                boolean deleted = rs.getInt("deleted") == 1;
                state.put(entity + ":" + rs.getString("external_id"), History.describe(rs.getLong("source_version"),
                        deleted, rs.getString("content"), rs.getString("ref1"), rs.getString("ref2"), rs.getString("ref3")));
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static Map<TopicPartition, Long> committedOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> offsets = new HashMap<>();
            committed.forEach((tp, om) -> offsets.put(tp, om.offset()));
            offsets.values().removeIf(offset -> offset == 0);
            return offsets;
        }
    }

    private static Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String entity : List.of("users", "sections", "topics", "messages")) {
                for (int p = 0; p < PARTITIONS; p++) {
                    request.put(new TopicPartition(ChangeTopics.forEntity(entity), p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> offsets.put(tp, info.offset()));
            offsets.values().removeIf(offset -> offset == 0);
            return offsets;
        }
    }

    /** A random event history and the final state it defines. */
    record History(List<ChangeEvent> events) {

        static History generate(Random random, int users, int sections, int topics, int messages) {
            List<ChangeEvent> events = new ArrayList<>();
            for (int n = 0; n < users; n++) {
                int i = n;
                versions(random, events, v -> TestEvents.user("u" + i, v, "user " + i + " v" + v), "users", "u" + i);
            }
            for (int n = 0; n < sections; n++) {
                int i = n;
                versions(random, events, v -> TestEvents.section("s" + i, v, "section " + i + " v" + v), "sections", "s" + i);
            }
            for (int n = 0; n < topics; n++) {
                int i = n;
                versions(random, events, v -> TestEvents.topic("t" + i, v, "s" + random.nextInt(sections),
                        "u" + random.nextInt(users), "topic " + i + " v" + v), "topics", "t" + i);
            }
            for (int n = 0; n < messages; n++) {
                int i = n;
                int parent = i == 0 ? -1 : random.nextInt(i + 50) - 50;
                versions(random, events, v -> TestEvents.message("m" + i, v, "t" + random.nextInt(topics),
                        "u" + random.nextInt(users), parent < 0 ? null : "m" + parent, "message " + i + " v" + v),
                        "messages", "m" + i);
            }
            Collections.shuffle(events, random);
            return new History(events);
        }

        /** 1 to 4 versions, each sent once or twice, one record in ten deleted after its last version. */
        private static void versions(Random random, List<ChangeEvent> events,
                LongFunction<ChangeEvent> upsert, String entity, String id) {
            int versions = 1 + random.nextInt(4);
            for (long v = 1; v <= versions; v++) {
                ChangeEvent event = upsert.apply(v);
                events.add(event);
                if (random.nextInt(3) == 0) {
                    events.add(event);
                }
            }
            if (random.nextInt(10) == 0) {
                events.add(TestEvents.delete(entity, id, versions + 1));
            }
        }

        List<ChangeEvent> stream() {
            return events;
        }

        /** Per record: deleted (at its delete's version, the highest) if any delete, else the highest version. */
        Map<String, String> expectedState() {
            Map<String, ChangeEvent> last = new HashMap<>();
            for (ChangeEvent event : events) {
                last.merge(event.entity() + ":" + event.externalId(), event, (a, b) -> wins(b, a) ? b : a);
            }
            Map<String, String> state = new TreeMap<>();
            last.forEach((key, event) -> {
                Map<String, Object> p = event.payload();
                String content = switch (event.entity()) {
                    case "users" -> (String) p.get("name");
                    case "sections", "topics" -> (String) p.get("title");
                    default -> (String) p.get("body");
                };
                String ref1 = (String) p.getOrDefault(event.entity().equals("topics") ? "section_id" : "topic_id", null);
                String ref2 = (String) p.get("user_id");
                String ref3 = (String) p.get("parent_id");
                state.put(key, event.op() == Operation.DELETE
                        ? describe(event.sourceVersion(), true, null, null, null, null)
                        : describe(event.sourceVersion(), false, content, ref1, ref2, ref3));
            });
            return state;
        }

        private static boolean wins(ChangeEvent candidate, ChangeEvent kept) {
            if (candidate.op() != kept.op()) {
                return candidate.op() == Operation.DELETE;
            }
            return candidate.sourceVersion() > kept.sourceVersion();
        }

        /** A deleted row's fields depend on what arrived before its delete: only version and flag count. */
        static String describe(long version, boolean deleted, String content, String ref1, String ref2, String ref3) {
            return deleted ? "v" + version + " deleted"
                    : "v" + version + " " + content + " refs=" + ref1 + "," + ref2 + "," + ref3;
        }
    }
}
