package io.tributary.writer;

import static io.tributary.writer.WriterGroupProbe.assigned;
import static io.tributary.writer.WriterGroupProbe.committedOffsets;
import static io.tributary.writer.WriterGroupProbe.deadLettered;
import static io.tributary.writer.WriterGroupProbe.endOffsets;
import static io.tributary.writer.WriterGroupProbe.producer;
import static io.tributary.writer.WriterGroupProbe.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventJson;
import io.tributary.model.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
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
        try (KafkaProducer<String, byte[]> producer = producer(brokers)) {
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
                    assertThat(committedOffsets(brokers, GROUP)).isEqualTo(endOffsets(brokers, PARTITIONS)));
            assertThat(batches(second)).as("batches applied by the writer that stayed").isPositive();
            assertThat(deadLettered(second) + deadLettered(third)).isZero();
        } finally {
            pacer.shutdownNow();
        }

        Map<String, String> actual = state(postgres);
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

    private static long batches(ConfigurableApplicationContext writer) {
        return writer.getBean(MeterRegistry.class).get("tributary.writer.batch.size").summary().count();
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
