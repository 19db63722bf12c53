package io.tributary.writer;

import static io.tributary.writer.WriterGroupProbe.assigned;
import static io.tributary.writer.WriterGroupProbe.committedOffsets;
import static io.tributary.writer.WriterGroupProbe.deadLettered;
import static io.tributary.writer.WriterGroupProbe.endOffsets;
import static io.tributary.writer.WriterGroupProbe.producer;
import static io.tributary.writer.WriterGroupProbe.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventJson;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Kafka takes partitions away from writers in the middle of a batch: two writers in one group on one
 * PostgreSQL database; the test holds {@code LOCK TABLE messages IN SHARE MODE}, so every batch that writes
 * messages stops inside its transaction (after its users/sections/topics steps); a third writer joins while
 * they are held, and because the held writers cannot poll, they exceed {@code max.poll.interval} and the group
 * rebalances without them — their partitions go to the third writer, which re-applies the same records from
 * the committed offsets (and blocks on the lock too). Then the lock is released: the evicted writers' batches
 * commit in the database, their offset commits fail, the new owners apply the same events again. In effect
 * nothing may be lost or applied twice: the database ends exactly in the state the event history defines,
 * and every partition's committed offset reaches its end.
 */
@EmbeddedKafka(partitions = 6, brokerProperties = "group.initial.rebalance.delay.ms=0")
class MidBatchRebalanceIT {

    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String GROUP = "tributary-writer-mid-batch";
    private static final int PARTITIONS = 6;

    static PostgresTestDatabase postgres;
    static String brokers;
    static final List<ConfigurableApplicationContext> writers = new ArrayList<>();

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        brokers = broker.getBrokersAsString();
        postgres = PostgresTestDatabase.create("midbatch");
    }

    @AfterAll
    static void stop() {
        writers.forEach(ConfigurableApplicationContext::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void partitionsRevokedWhileBatchesAreHeldEndInExactlyTheStateTheHistoryDefines() throws Exception {
        ScaledWritersIT.History history = ScaledWritersIT.History.generate(new Random(11), 60, 6, 100, 500);
        List<ChangeEvent> stream = history.stream();
        int half = stream.size() / 2;

        ConfigurableApplicationContext first = startWriter();
        ConfigurableApplicationContext second = startWriter();
        // Both members own their half before anything is held: a writer held while the group still forms
        // would keep every partition, and the rebalance the test is about could not happen.
        await("the partitions split between the two writers").atMost(BOUND)
                .until(() -> assigned(first).size() == 2 * PARTITIONS && assigned(second).size() == 2 * PARTITIONS);
        try (KafkaProducer<String, byte[]> producer = producer(brokers)) {
            send(producer, stream.subList(0, half));
            await("the first half applied and committed").atMost(BOUND)
                    .untilAsserted(() -> assertThat(committedOffsets(brokers, GROUP)).isEqualTo(endOffsets(brokers, PARTITIONS)));

            try (Connection lock = postgres.connect()) {
                lock.setAutoCommit(false);
                try (Statement statement = lock.createStatement()) {
                    statement.execute("LOCK TABLE messages IN SHARE MODE");
                }
                send(producer, stream.subList(half, stream.size()));
                await("both writers held inside a batch").atMost(BOUND).until(() -> blockedOnMessages() >= 2);

                ConfigurableApplicationContext third = startWriter();
                // The held writers cannot poll: the group rebalances without them once max.poll.interval passes.
                await("the third writer owning every partition").atMost(BOUND)
                        .until(() -> assigned(third).size() == 4 * PARTITIONS);
                assertThat(assigned(first)).as("partitions revoked from the held first writer").hasSizeLessThan(4 * PARTITIONS);
                lock.rollback();
            }

            // Nothing lost, nothing applied twice in effect: exactly the state the history defines.
            Map<String, String> expected = history.expectedState();
            await("the main DB in the state the history defines").atMost(BOUND)
                    .untilAsserted(() -> assertThat(state(postgres)).isEqualTo(expected));
            // Offsets never run ahead of what was applied. (They may stay behind: a partition whose last
            // batch was applied by an evicted writer, whose offset commit failed, keeps its older committed
            // offset until the next record arrives on it; a restart then re-applies those records, which the
            // version guard makes harmless. Seen here on one partition of 24.)
            Map<TopicPartition, Long> end = endOffsets(brokers, PARTITIONS);
            committedOffsets(brokers, GROUP).forEach((partition, offset) ->
                    assertThat(offset).as("committed offset of " + partition).isLessThanOrEqualTo(end.get(partition)));
            assertThat(deadLettered(first) + deadLettered(second)).isZero();
        }
    }

    private static ConfigurableApplicationContext startWriter() {
        List<String> args = new ArrayList<>(List.of(postgres.writerArgs()));
        args.addAll(List.of("--spring.kafka.bootstrap-servers=" + brokers, "--server.port=0",
                "--tributary.writer.database.pool-size=2",
                "--tributary.writer.consumer.group-id=" + GROUP,
                "--tributary.writer.consumer.max-poll-records=200",
                "--tributary.writer.consumer.fetch-max-wait=20ms",
                "--tributary.writer.consumer.max-poll-interval=8s",
                "--tributary.writer.consumer.retry.max-interval=2s",
                "--tributary.writer.topics.partitions=" + PARTITIONS,
                "--tributary.writer.progress.interval=10s",
                "--spring.kafka.consumer.heartbeat-interval=500ms"));
        ConfigurableApplicationContext writer = WriterApplication.builder().run(args.toArray(String[]::new));
        writers.add(writer);
        return writer;
    }

    private static void send(KafkaProducer<String, byte[]> producer, List<ChangeEvent> events) {
        for (ChangeEvent event : events) {
            producer.send(new ProducerRecord<>(event.topic(), event.key().encode(), ChangeEventJson.write(event)));
        }
        producer.flush();
    }

    /**
     * Writer connections waiting on a lock in the test database. The only lock anything waits behind is the
     * test's SHARE lock on {@code messages}: a writer waits on it directly, or on a row the other held
     * writer's open transaction inserted (a shared parent's placeholder), which shows as a transaction lock.
     */
    private static int blockedOnMessages() throws Exception {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

}
