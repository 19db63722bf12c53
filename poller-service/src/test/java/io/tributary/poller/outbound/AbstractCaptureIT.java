package io.tributary.poller.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.outbound.LocalChange;
import io.tributary.model.outbound.LocalChangeJson;
import io.tributary.model.outbound.LocalOperation;
import io.tributary.model.outbound.OutboundTopics;
import io.tributary.poller.PollerApplication;
import io.tributary.poller.runtime.CheckpointStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/**
 * Capture of the application's changes, on a real broker and a real main database written by the writer's own
 * applier, run per dialect: the echo rule end to end (writer writes never published; the application's create,
 * update, soft and hard delete published with their base version and fields), and a poller stopped mid-stream
 * while the application keeps writing loses nothing and repeats a change, if at all, with the same change id.
 */
abstract class AbstractCaptureIT {

    static final String TOPIC = OutboundTopics.forEntity("music_items");

    private MainDatabase db;
    private ConfigurableApplicationContext poller;
    private KafkaConsumer<String, LocalChange> consumer;
    private final List<LocalChange> received = new ArrayList<>();

    /** The main database of this dialect, schema by the writer. */
    protected abstract MainDatabase open() throws Exception;

    /** The capture settings of this dialect ({@code --tributary.poller.capture.*}). */
    protected abstract List<String> captureArguments(MainDatabase db);

    /** Waits until the capture sees changes made from now on (PostgreSQL: its slot streams). */
    protected abstract void awaitCapturing(MainDatabase db) throws Exception;

    @AfterEach
    void stopEverything() throws Exception {
        if (poller != null) {
            poller.close();
        }
        if (consumer != null) {
            consumer.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theApplicationsChangesArePublishedAndTheWritersAreNot(EmbeddedKafkaBroker broker) throws Exception {
        db = open();
        db.writerUpsert("i1", 100, "Blue Train");
        db.writerUpsert("i2", 100, "Giant Steps");
        db.writerUpsert("i3", 100, "Ballads");
        startPoller(broker);
        awaitCapturing(db);

        long created = db.appInsert("Olé", 1961);
        long i1 = db.id("i1");
        long i2 = db.id("i2");
        long i3 = db.id("i3");
        db.execute("UPDATE music_items SET year = 1957 WHERE id = " + i1);
        db.execute("UPDATE music_items SET deleted = 1 WHERE id = " + i2);
        db.execute("DELETE FROM music_items WHERE id = " + i3);
        // the writer: a newer version from the source, what delivery stores after a create, a delete from the source
        db.writerUpsert("i1", 101, "Blue Train (remastered)");
        db.execute("UPDATE music_items SET external_id = 'i9', source_version = 300 WHERE id = " + created);
        db.writerUpsert("i9", 300, "Olé"); // the pushed create coming back: stops here
        db.writerDelete("i1", 50); // a delete below the row's version: only deleted and synced_at change
        db.execute("UPDATE music_items SET title = 'Olé Coltrane' WHERE id = " + created);

        awaitReceived(broker, 5);
        assertThat(received).extracting(LocalChange::op, LocalChange::localId, LocalChange::externalId,
                        LocalChange::baseVersion)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LocalOperation.CREATE, created, null, 0L),
                        org.assertj.core.groups.Tuple.tuple(LocalOperation.UPDATE, i1, "i1", 100L),
                        org.assertj.core.groups.Tuple.tuple(LocalOperation.DELETE, i2, "i2", 100L),
                        org.assertj.core.groups.Tuple.tuple(LocalOperation.DELETE, i3, "i3", 100L),
                        org.assertj.core.groups.Tuple.tuple(LocalOperation.UPDATE, created, "i9", 300L));
        assertThat(received.get(0).fields()).containsEntry("title", "Olé").containsEntry("year", 1961);
        assertThat(received.get(1).fields()).containsEntry("title", "Blue Train").containsEntry("year", 1957);
        assertThat(received.get(2).fields()).isEmpty();
        assertThat(received.get(4).fields()).containsEntry("title", "Olé Coltrane");
        assertThat(received).allSatisfy(change -> assertThat(change.sourceId()).isEqualTo(db.source));
        assertThat(received).extracting(LocalChange::position).isSorted().doesNotHaveDuplicates();
        MeterRegistry registry = poller.getBean(MeterRegistry.class);
        assertThat(registry.get("tributary.poller.capture.captured").tags("entity", "music_items", "op", "DELETE")
                .counter().count()).isEqualTo(2);
        assertThat(registry.get("tributary.poller.capture.lag").tags("entity", "music_items").timer().count())
                .isEqualTo(5);
    }

    @Test
    void aPollerStoppedMidStreamLosesNothingWhileTheApplicationKeepsWriting(EmbeddedKafkaBroker broker)
            throws Exception {
        db = open();
        int storedBefore = storedPositions(broker);
        startPoller(broker);
        awaitCapturing(db);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            ids.add(db.appInsert("item " + i, 1950 + i % 50));
            if (i == 99) {
                await("a position stored").atMost(Duration.ofSeconds(30))
                        .until(() -> storedPositions(broker) > storedBefore);
            }
        }
        poller.close(); // mid-stream: the last inserts are being captured, or not yet
        poller = null;
        for (int i = 0; i < 50; i++) {
            db.execute("UPDATE music_items SET title = 'edited " + i + "' WHERE id = " + ids.get(i));
        }
        db.execute("UPDATE music_items SET external_id = 'x0', source_version = 7 WHERE id = " + ids.get(149));
        startPoller(broker);

        awaitReceived(broker, 200);
        Map<String, Set<Long>> positionsById = received.stream().collect(Collectors.groupingBy(LocalChange::changeId,
                Collectors.mapping(LocalChange::position, Collectors.toSet())));
        assertThat(positionsById).as("200 changes: 150 creates, 50 edits, nothing of the delivery-like write")
                .hasSize(200);
        assertThat(positionsById.values()).as("a repeated change has the same id").allSatisfy(
                positions -> assertThat(positions).hasSize(1));
        assertThat(received.stream().filter(c -> c.op() == LocalOperation.CREATE).map(LocalChange::localId)
                .collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(received.stream().filter(c -> c.op() == LocalOperation.UPDATE).map(LocalChange::localId)
                .collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(ids.subList(0, 50));
        afterAllReceived(db);
    }

    /** The capture's checkpoint key in {@code tributary.poller.checkpoints}. */
    protected abstract String checkpointKey();

    /** How many positions the capture stored under its key so far. */
    private int storedPositions(EmbeddedKafkaBroker broker) {
        try (KafkaConsumer<String, String> checkpoints = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringDeserializer(),
                new StringDeserializer())) {
            if (checkpoints.partitionsFor(CheckpointStore.TOPIC).isEmpty()) {
                return 0;
            }
            List<TopicPartition> partitions = checkpoints.partitionsFor(CheckpointStore.TOPIC).stream()
                    .map(info -> new TopicPartition(CheckpointStore.TOPIC, info.partition())).toList();
            checkpoints.assign(partitions);
            checkpoints.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = checkpoints.endOffsets(partitions);
            int count = 0;
            while (partitions.stream().anyMatch(p -> checkpoints.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : checkpoints.poll(Duration.ofMillis(200))) {
                    if (checkpointKey().equals(record.key())) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    /** A dialect's extra checks once everything arrived (SQLite: the changelog is purged). */
    protected void afterAllReceived(MainDatabase db) throws Exception {
    }

    private void startPoller(EmbeddedKafkaBroker broker) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--tributary.poller.topics.partitions=1",
                "--tributary.poller.capture.enabled=true",
                "--tributary.poller.capture.entities=music_items",
                "--tributary.poller.capture.retry-backoff=500ms"));
        args.addAll(captureArguments(db));
        poller = PollerApplication.builder().run(args.toArray(String[]::new));
    }

    /** Reads the outbound topic until {@code distinct} different change ids arrived. */
    private void awaitReceived(EmbeddedKafkaBroker broker, int distinct) {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                    new LocalChangeJson.Deserializer());
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            await("outbound topic created").atMost(Duration.ofSeconds(30))
                    .until(() -> !consumer.partitionsFor(TOPIC).isEmpty());
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
        }
        await("local changes on " + TOPIC).atMost(Duration.ofSeconds(45)).until(() -> {
            for (ConsumerRecord<String, LocalChange> record : consumer.poll(Duration.ofMillis(200))) {
                assertThat(record.key()).isEqualTo(record.value().key());
                if (record.value().sourceId().equals(db.source)) { // not an earlier test's
                    received.add(record.value());
                }
            }
            return new HashSet<>(received.stream().map(LocalChange::changeId).toList()).size() >= distinct;
        });
    }
}
