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
        // counted once every change of the batch is acknowledged: the consumer may have them a moment before
        await("the captured changes counted").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(registry.find("tributary.poller.capture.captured").tags("entity", "music_items", "op", "DELETE")
                    .counter()).isNotNull().extracting(counter -> counter.count()).isEqualTo(2.0);
            assertThat(registry.find("tributary.poller.capture.lag").tags("entity", "music_items").timer())
                    .isNotNull().extracting(timer -> timer.count()).isEqualTo(5L);
        });
    }

    /**
     * A large value (16 KB of random text: PostgreSQL stores it out of line, in TOAST) left unchanged by an update of
     * another column: the captured UPDATE carries the value itself. pgoutput does not send an unchanged TOASTed value
     * in the new row, and Debezium fills its place with a placeholder that must never reach the source.
     */
    @Test
    void aLargeValueAnUpdateLeavesUnchangedIsCapturedWithItsValue(EmbeddedKafkaBroker broker) throws Exception {
        db = open();
        startPoller(broker);
        awaitCapturing(db);
        byte[] noise = new byte[12_000];
        new java.util.Random(6).nextBytes(noise);
        String large = java.util.Base64.getEncoder().encodeToString(noise);

        long row = db.appInsert(large, 1959);
        assertLargeValueStoredOutOfLine(db);
        db.execute("UPDATE music_items SET year = 1960 WHERE id = " + row);
        db.execute("UPDATE music_items SET year = 1961, title = 'short' WHERE id = " + row);

        awaitReceived(broker, 3);
        assertThat(received).extracting(LocalChange::op)
                .containsExactly(LocalOperation.CREATE, LocalOperation.UPDATE, LocalOperation.UPDATE);
        assertThat(received.get(1).fields()).as("the unchanged large title, as stored")
                .containsEntry("title", large).containsEntry("year", 1960);
        assertThat(received.get(2).fields()).containsEntry("title", "short").containsEntry("year", 1961);
    }

    /** Checks that the large value of the test above is stored as the dialect stores large values (PostgreSQL: TOAST). */
    protected void assertLargeValueStoredOutOfLine(MainDatabase db) throws Exception {
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

    /** The position a stored capture checkpoint covers (SQLite: the changelog sequence; PostgreSQL: the LSN). */
    protected abstract long storedPosition(Map<String, String> checkpoint);

    /** Waits until the capture sees changes of {@code table} made from now on (PostgreSQL: it is in the publication). */
    protected abstract void awaitCapturing(MainDatabase db, String table) throws Exception;

    /**
     * Whether changes the application makes to a table after the writer prepared it for capture, but before the
     * capture took it in, are captured: on SQLite the writer's triggers keep them in the changelog; on PostgreSQL a
     * table is captured from when it joins the publication (decision 0030).
     */
    protected abstract boolean capturesChangesBeforeTheTableJoins();

    @Test
    void aTwoWayDefinitionStoredAtRunTimeIsCapturedAndARestartResumesWithIt(EmbeddedKafkaBroker broker)
            throws Exception {
        db = open();
        String configTopic = "tributary.config.sources";
        createCompactedTopic(broker, configTopic);
        // The poller does not run the source (another shard does): capture follows every shard's definitions.
        int otherShard = 1 - Math.floorMod(db.source.hashCode(), 2);
        String[] live = {"--tributary.poller.config-topic.enabled=true",
                "--tributary.poller.config-topic.directory=" + java.nio.file.Files.createTempDirectory("live"),
                "--tributary.poller.config-topic.shards=2", "--tributary.poller.config-topic.shard=" + otherShard};
        startPoller(broker, live);
        awaitCapturing(db);
        List<Long> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            items.add(db.appInsert("before " + i, 1990));
        }

        // The writer follows the definition: the table, prepared for capture; then the definition reaches the poller.
        db.addTwoWayEntity("playlists", "name");
        long early = db.appInsert("playlists", "name", "made before the definition reached the poller");
        storeDefinition(broker, configTopic, db.source);
        for (int i = 0; i < 25; i++) { // while the capture takes the new table in (PostgreSQL: its engine restarts)
            items.add(db.appInsert("during " + i, 1991));
        }
        awaitCapturing(db, "playlists");
        long p1 = db.appInsert("playlists", "name", "Road trip");
        long p2 = db.appInsert("playlists", "name", "Focus");
        db.execute("UPDATE playlists SET name = 'Road trip (long)' WHERE id = " + p1);
        items.add(db.appInsert("after", 1992));

        String playlists = OutboundTopics.forEntity("playlists");
        List<LocalChange> lists = new ArrayList<>();
        awaitChanges(broker, playlists, lists, capturesChangesBeforeTheTableJoins() ? 4 : 3);
        assertThat(lists.stream().filter(c -> c.localId() != early)).extracting(LocalChange::op, LocalChange::localId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LocalOperation.CREATE, p1),
                        org.assertj.core.groups.Tuple.tuple(LocalOperation.CREATE, p2),
                        org.assertj.core.groups.Tuple.tuple(LocalOperation.UPDATE, p1));
        if (capturesChangesBeforeTheTableJoins()) {
            assertThat(lists).extracting(LocalChange::localId).contains(early);
        }
        assertThat(lists.get(lists.size() - 1).fields()).containsEntry("name", "Road trip (long)");
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            assertThat(admin.describeTopics(List.of(playlists)).allTopicNames().get().get(playlists).partitions())
                    .as("created by the capture with the configured partitions (the broker creates no topic)")
                    .hasSize(1);
        }
        awaitReceived(broker, items.size());
        assertThat(received).as("every change of the table captured before, during and after the set changed")
                .extracting(LocalChange::localId).containsAll(items);
        assertThat(received.stream().collect(Collectors.groupingBy(LocalChange::changeId,
                Collectors.mapping(LocalChange::position, Collectors.toSet()))).values())
                .as("a change published again (a batch in flight when the engine restarted) has the same id")
                .allSatisfy(positions -> assertThat(positions).hasSize(1));

        // A restart resumes from the stored position, with the definition's table among the captured ones.
        long last = java.util.stream.Stream.concat(received.stream(), lists.stream()).mapToLong(LocalChange::position)
                .max().orElseThrow();
        await("the capture's position stored past its last change").atMost(Duration.ofSeconds(30))
                .until(() -> storedPosition(lastCheckpoint(broker)) >= last);
        poller.close();
        poller = null;
        long p3 = db.appInsert("playlists", "name", "made while the poller was down");
        db.execute("UPDATE music_items SET title = 'edited while down' WHERE id = " + items.get(0));
        int before = received.size();
        int listsBefore = lists.size();
        startPoller(broker, live);
        awaitChanges(broker, playlists, lists, lists.size() + 1);
        awaitReceived(broker, (int) received.stream().map(LocalChange::changeId).distinct().count() + 1);
        assertThat(lists.subList(listsBefore, lists.size())).as("only the change made while down")
                .extracting(LocalChange::op, LocalChange::localId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LocalOperation.CREATE, p3));
        assertThat(received.subList(before, received.size())).as("resumed from the stored position")
                .extracting(LocalChange::op, LocalChange::localId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(LocalOperation.UPDATE, items.get(0)));
    }

    /** A two-way definition of {@code source} delivering {@code playlists} over REST, as the admin API stores it. */
    private static void storeDefinition(EmbeddedKafkaBroker broker, String topic, String source) throws Exception {
        String definition = """
                {"organization": "acme-records", "id": "%s", "kind": "rest", "baseUrl": "http://127.0.0.1:9",
                 "schedule": {"interval": "1m"}, "sync": {"mode": "two-way", "conflict": "local-wins"},
                 "entities": [{"name": "playlists", "endpoint": {"path": "/playlists"}, "pagination": {"type": "none"},
                   "records": {"path": "$"},
                   "mapping": {"key": "externalId", "version": {"source": "updatedAt", "format": "iso-instant"},
                     "fields": {"externalId": {"type": "string", "source": "id", "required": true},
                                "name": {"type": "string", "source": "name"}}},
                   "delivery": {"create": {"path": "/playlists"}, "update": {"path": "/playlists/{id}"},
                                "delete": {"path": "/playlists/{id}"}},
                   "target": {"table": "playlists", "key": "externalId", "columns": [{"name": "name", "type": "text"}]}}]}
                """.formatted(source);
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> producer =
                new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "acme-records/" + source,
                    "{\"definition\":" + definition + ",\"state\":{\"paused\":false}}")).get();
        }
    }

    private static void createCompactedTopic(EmbeddedKafkaBroker broker, String topic) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get();
            }
        }
    }

    /** Reads every partition of {@code topic} from its beginning until {@code into} holds {@code distinct} change ids. */
    private void awaitChanges(EmbeddedKafkaBroker broker, String topic, List<LocalChange> into, int distinct) {
        try (KafkaConsumer<String, LocalChange> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringDeserializer(),
                new LocalChangeJson.Deserializer())) {
            await(topic + " created").atMost(Duration.ofSeconds(60)).until(() -> !reader.partitionsFor(topic).isEmpty());
            List<TopicPartition> partitions = reader.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            List<LocalChange> all = new ArrayList<>();
            await("local changes on " + topic).atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, LocalChange> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.value().sourceId().equals(db.source)) {
                        all.add(record.value());
                    }
                }
                return all.stream().map(LocalChange::changeId).distinct().count() >= distinct;
            });
            into.clear();
            into.addAll(all);
        }
    }

    /** The capture's latest stored checkpoint. */
    private Map<String, String> lastCheckpoint(EmbeddedKafkaBroker broker) {
        return poller.getBean(CheckpointStore.class).load().get(checkpointKey()).fields();
    }

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

    private void startPoller(EmbeddedKafkaBroker broker, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--tributary.poller.topics.partitions=1",
                "--tributary.poller.capture.enabled=true",
                "--tributary.poller.capture.entities=music_items",
                "--tributary.poller.capture.retry-backoff=500ms"));
        args.addAll(captureArguments(db));
        args.addAll(List.of(extra));
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
