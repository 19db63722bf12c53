package io.tributary.writer.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.outbound.LocalChange;
import io.tributary.model.outbound.LocalChangeJson;
import io.tributary.model.outbound.LocalOperation;
import io.tributary.model.outbound.OutboundTopics;
import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.writer.WriterApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two-way delivery end to end on the delivery side: a real broker, the writer (SQLite main database, its own
 * two-way {@code music_items} table, REST delivery of three sources that differ only in their conflict policy,
 * signed webhook delivery of two that differ only in their secret) and the
 * simulator's music inventory. The test plays the application ({@link ApplicationRows}: it writes rows) and the
 * capture ({@link StandInCapture}: it produces the rows' {@link LocalChange}s), then compares what the music inventory holds and received.
 */
@EmbeddedKafka(partitions = 2, brokerProperties = "group.initial.rebalance.delay.ms=0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundDeliveryIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOPIC = OutboundTopics.forEntity("music_items");
    private static final String LWW = "music-lww";
    private static final String SOURCE_WINS = "music-source-wins";
    private static final String LOCAL_WINS = "music-local-wins";
    private static final String HOOKS = "music-hooks";
    private static final String WRONG_SECRET = "music-hooks-wrong-secret";
    private static final String RECEIVER_SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("the receiver's key".getBytes(StandardCharsets.UTF_8));
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext simulator;
    private ConfigurableApplicationContext writer;
    private String[] writerArgs;
    private StandInCapture capture;
    private String music;
    private ApplicationRows application;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        simulator = ForumSimulatorApplication.builder().run("--server.port=0",
                "--forum-simulator.music.webhook-secret=" + RECEIVER_SECRET,
                "--forum-simulator.database=" + dir.resolve("simulator.db"), "--forum-simulator.seed.users=1",
                "--forum-simulator.seed.sections=1", "--forum-simulator.seed.topics=1", "--forum-simulator.seed.messages=1");
        music = "http://127.0.0.1:" + simulator.getEnvironment().getProperty("local.server.port");
        Path token = Files.writeString(dir.resolve("token"), "music-token");
        String example = Files.readString(Path.of("..", "examples", "music-inventory.yaml"))
                .replace("http://localhost:5000", music)
                .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN}", "${file:" + token + "}")
                .replace("schedule: {interval: 1m}", "schedule: {interval: 1m}\nretry: {maxAttempts: 3, initialBackoff: 20ms, maxBackoff: 100ms}");
        List<String> args = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0", "--tributary.writer.database.path=" + dir.resolve("main.db"),
                "--tributary.writer.topics.partitions=2", "--tributary.writer.progress.interval=10s",
                "--tributary.writer.outbound.redelivery.initial-interval=100ms",
                "--tributary.writer.outbound.redelivery.max-interval=500ms",
                "--tributary.writer.entities[0].name=music_items", "--tributary.writer.entities[0].two-way=true"));
        List<String> fields = List.of("name", "artist", "album");
        for (int i = 0; i < fields.size(); i++) {
            args.add("--tributary.writer.entities[0].fields[" + i + "].name=" + fields.get(i));
            args.add("--tributary.writer.entities[0].fields[" + i + "].type=text");
        }
        Map<String, String> policies = Map.of(LWW, "last-writer-wins", SOURCE_WINS, "source-wins", LOCAL_WINS, "local-wins");
        int i = 0;
        for (Map.Entry<String, String> policy : policies.entrySet()) {
            Path definition = Files.writeString(dir.resolve(policy.getKey() + ".yaml"), example
                    .replace("id: music-faker", "id: " + policy.getKey())
                    .replace("conflict: last-writer-wins", "conflict: " + policy.getValue()));
            args.add("--tributary.writer.outbound.sources[" + i++ + "].definition=" + definition);
        }
        // two sources delivering by signed webhooks instead of REST: one with the receiver's secret, one without
        String hooks = Files.readString(Path.of("..", "examples", "music-inventory-webhooks.yaml"))
                .replace("http://localhost:5000", music)
                .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN}", "${file:" + token + "}")
                .replace("schedule: {interval: 1m}", "schedule: {interval: 1m}\nretry: {maxAttempts: 3, initialBackoff: 20ms, maxBackoff: 100ms}");
        Path right = Files.writeString(dir.resolve("right-secret"), RECEIVER_SECRET);
        Path wrong = Files.writeString(dir.resolve("wrong-secret"), "whsec_" + java.util.Base64.getEncoder()
                .encodeToString("another key".getBytes(StandardCharsets.UTF_8)));
        args.add("--tributary.writer.outbound.sources[" + i++ + "].definition=" + Files.writeString(
                dir.resolve("hooks.yaml"), hooks.replace("id: music-faker-hooks", "id: " + HOOKS)
                        .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_OUTPUT_WEBHOOK_SECRET}", "${file:" + right + "}")));
        args.add("--tributary.writer.outbound.sources[" + i++ + "].definition=" + Files.writeString(
                dir.resolve("wrong.yaml"), hooks.replace("id: music-faker-hooks", "id: " + WRONG_SECRET)
                        .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_OUTPUT_WEBHOOK_SECRET}", "${file:" + wrong + "}")));
        writerArgs = args.toArray(String[]::new);
        writer = WriterApplication.builder().run(writerArgs);
        application = ApplicationRows.of(dir.resolve("main.db"), "music_items");
        capture = new StandInCapture(broker.getBrokersAsString());
    }

    @AfterAll
    void stop() {
        if (capture != null) {
            capture.close();
        }
        if (writer != null) {
            writer.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void createsUpdatesAndDeletesArriveExactlyOnceAndTheExternalIdIsStoredBack() throws Exception {
        JsonNode before = stats();
        List<Long> rows = new ArrayList<>();
        List<LocalChange> creates = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long row = application.insert(LWW, "Song " + i, "Artist", "Album");
            rows.add(row);
            creates.add(change(LWW, row, null, LocalOperation.CREATE, 0, Instant.now(), fields("Song " + i)));
        }
        creates.forEach(capture::send);
        capture.send(creates.get(1)); // redelivered: the same change id
        // edited right after its create, before the create was delivered: no external id, base version 0
        application.rename(rows.get(2), "Song 2 (live)");
        LocalChange edit = change(LWW, rows.get(2), null, LocalOperation.UPDATE, 0, Instant.now(), fields("Song 2 (live)"));
        capture.send(edit);
        capture.send(edit);
        // created and deleted before the create was delivered: nothing to create, nothing to delete
        long shortLived = application.insert(LWW, "Short-lived", "A", "B");
        application.markDeleted(shortLived);
        capture.send(change(LWW, shortLived, null, LocalOperation.CREATE, 0, Instant.now(), fields("Short-lived")));
        capture.send(change(LWW, shortLived, null, LocalOperation.DELETE, 0, Instant.now(), Map.of()));

        await("created").atMost(PATIENCE).untilAsserted(() -> assertThat(delta(before, stats()))
                .containsEntry("creates", 5L).containsEntry("updates", 2L));
        application.markDeleted(rows.get(4));
        capture.send(change(LWW, rows.get(4), application.externalId(rows.get(4)), LocalOperation.DELETE,
                application.sourceVersion(rows.get(4)), Instant.now(), Map.of()));
        await("deleted").atMost(PATIENCE).untilAsserted(() -> assertThat(delta(before, stats()))
                .containsEntry("creates", 5L).containsEntry("updates", 2L).containsEntry("deletes", 1L));
        assertThat(application.externalId(shortLived)).isNull();
        assertThat(delivered(LWW, "create", "skipped")).isGreaterThanOrEqualTo(1);
        // the repeated create changed nothing; the repeated edit is a second identical PUT (idempotent by nature)
        for (int i = 0; i < 4; i++) {
            String externalId = application.externalId(rows.get(i));
            assertThat(externalId).as("row %s stored its external id", rows.get(i)).isNotNull();
            JsonNode item = item(externalId);
            assertThat(item.path("name").asString()).isEqualTo(i == 2 ? "Song 2 (live)" : "Song " + i);
            assertThat(application.sourceVersion(rows.get(i))).as("the version the source answered, kept on the row")
                    .isEqualTo(Instant.parse(item.path("updatedAt").asString()).toEpochMilli());
        }
        assertThat(status(music + "/music/" + application.externalId(rows.get(4)))).as("deleted at the source").isEqualTo(404);
        await("counted").atMost(PATIENCE).until(() -> delivered(LWW, "create", "duplicate") >= 1);
    }

    /**
     * A crash between the source's answer to a create and the write-back (the POST happened, the row has no
     * external id, the offset was not committed): the redelivered create carries the same idempotency key, the
     * source answers the item it created the first time, and that is the id stored.
     */
    @Test
    void aCreateRepeatedAfterACrashBeforeItsWriteBackIsNotCreatedTwice() throws Exception {
        long row = application.insert(LWW, "Crashed once", "A", "B");
        LocalChange create = change(LWW, row, null, LocalOperation.CREATE, 0, Instant.now(), fields("Crashed once"));
        JsonNode first = json(http.send(HttpRequest.newBuilder(URI.create(music + "/music"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Crashed once\",\"artist\":\"A\",\"album\":\"B\"}"))
                .header("Content-Type", "application/json").header("Idempotency-Key", create.changeId()).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode before = stats();

        capture.send(create);

        await("stored").atMost(PATIENCE).until(() -> application.externalId(row) != null);
        assertThat(application.externalId(row)).isEqualTo(first.path("id").asString());
        JsonNode after = stats();
        assertThat(delta(before, after)).containsEntry("creates", 0L);
        assertThat(after.path("replays").asLong() - before.path("replays").asLong()).isEqualTo(1);
    }

    /**
     * The source created the record, then storing its id on the row failed (the main database refused the
     * write-back: busy, full, or here a trigger): the redelivered CREATE stores the id the source gave the first
     * time. The source is asked once — a source without idempotency keys would otherwise hold the record twice.
     */
    @Test
    void aCreateWhoseWriteBackFailedIsStoredOnRedeliveryWithoutAskingTheSourceAgain() throws Exception {
        long row = application.insert(LWW, "Written back late", "A", "B");
        execute("CREATE TABLE IF NOT EXISTS test_refuse_write_back (refuse INTEGER NOT NULL)");
        execute("INSERT INTO test_refuse_write_back (refuse) VALUES (1)");
        execute("CREATE TRIGGER test_refuse_write_back BEFORE UPDATE OF external_id ON music_items"
                + " WHEN NEW.external_id IS NOT NULL AND (SELECT max(refuse) FROM test_refuse_write_back) = 1"
                + " BEGIN SELECT RAISE(ABORT, 'write-back refused by the test'); END");
        try {
            JsonNode before = stats();
            double retriesBefore = delivered(LWW, "create", "retrying");

            capture.send(change(LWW, row, null, LocalOperation.CREATE, 0, Instant.now(), fields("Written back late")));
            await("the write-back failed and the create is being retried").atMost(PATIENCE)
                    .until(() -> delivered(LWW, "create", "retrying") > retriesBefore);
            assertThat(application.externalId(row)).isNull();
            execute("UPDATE test_refuse_write_back SET refuse = 0");

            await("stored on redelivery").atMost(PATIENCE).until(() -> application.externalId(row) != null);
            JsonNode after = stats();
            assertThat(delta(before, after)).containsEntry("creates", 1L);
            assertThat(after.path("requests").path("POST /music").asLong()
                    - before.path("requests").path("POST /music").asLong()).as("create requests").isEqualTo(1);
            assertThat(item(application.externalId(row)).path("name").asString()).isEqualTo("Written back late");
        } finally {
            execute("DROP TRIGGER IF EXISTS test_refuse_write_back");
        }
    }

    @Test
    void whileTheSourceIsDownChangesWaitAndAllArriveAfter() throws Exception {
        JsonNode before = stats();
        post(music + "/admin/music/outage?status=503");
        double retriesBefore = delivered(LWW, "create", "retrying");
        List<Long> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long row = application.insert(LWW, "Outage " + i, "A", "B");
            rows.add(row);
            capture.send(change(LWW, row, null, LocalOperation.CREATE, 0, Instant.now(), fields("Outage " + i)));
        }
        await("retried while down").atMost(PATIENCE)
                .until(() -> delivered(LWW, "create", "retrying") >= retriesBefore + 2);
        assertThat(delta(before, stats())).containsEntry("creates", 0L);

        delete(music + "/admin/music/outage");

        await("everything after").atMost(PATIENCE).untilAsserted(() -> assertThat(delta(before, stats()))
                .containsEntry("creates", 4L));
        for (long row : rows) {
            assertThat(application.externalId(row)).isNotNull();
        }
    }

    /** The writer stops while changes wait for a source that is down: nothing was committed, the next writer delivers them. */
    @Test
    void changesWaitingWhenTheWriterStopsAreDeliveredByTheNextOne() throws Exception {
        JsonNode before = stats();
        post(music + "/admin/music/outage?status=503");
        List<Long> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long row = application.insert(LWW, "Restart " + i, "A", "B");
            rows.add(row);
            capture.send(change(LWW, row, null, LocalOperation.CREATE, 0, Instant.now(), fields("Restart " + i)));
        }
        double retries = delivered(LWW, "create", "retrying");
        await("retried while down").atMost(PATIENCE).until(() -> delivered(LWW, "create", "retrying") > retries);

        writer.close();
        delete(music + "/admin/music/outage");
        assertThat(delta(before, stats())).containsEntry("creates", 0L);
        writer = WriterApplication.builder().run(writerArgs);

        await("delivered by the next writer").atMost(PATIENCE).untilAsserted(() -> assertThat(delta(before, stats()))
                .containsEntry("creates", 3L));
        for (long row : rows) {
            assertThat(application.externalId(row)).isNotNull();
        }
    }

    @Test
    void aChangeTheSourceRefusesIsDeadLetteredWithTheReasonAndTheNextOneStillArrives() throws Exception {
        JsonNode before = stats();
        long refused = application.insert(LWW, "No name sent", "A", "B");
        LocalChange nameless = change(LWW, refused, null, LocalOperation.CREATE, 0, Instant.now(), Map.of("artist", "A"));
        capture.send(nameless);
        long next = application.insert(LWW, "After the refusal", "A", "B");
        capture.send(change(LWW, next, null, LocalOperation.CREATE, 0, Instant.now(), fields("After the refusal")));

        await("the next one").atMost(PATIENCE).until(() -> application.externalId(next) != null);
        assertThat(application.externalId(refused)).isNull();
        assertThat(delta(before, stats())).containsEntry("creates", 1L);
        ConsumerRecord<String, byte[]> dead = deadLetter(nameless.key());
        assertThat(LocalChangeJson.read(dead.value()).changeId()).isEqualTo(nameless.changeId());
        assertThat(new String(dead.headers().lastHeader("kafka_dlt-exception-message").value(), StandardCharsets.UTF_8))
                .contains("HTTP 422").contains("name must be a string").doesNotContain("A\"");
    }

    /**
     * Delivery by signed Standard Webhooks (decision 0028): the receiver (the simulator's {@code /music/webhooks},
     * which checks each signature with its own HMAC code) creates, replaces and deletes items; the id its answer
     * to a create carries is stored on the row; a create repeated after a crash before its write-back carries the
     * same {@code webhook-id}, and the receiver answers the item it created the first time.
     */
    @Test
    void signedWebhooksCreateUpdateAndDeleteAtTheReceiverAndTheCreatedIdIsStoredBack() throws Exception {
        JsonNode before = stats();
        List<Long> rows = new ArrayList<>();
        List<LocalChange> creates = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long row = application.insert(HOOKS, "Hooked " + i, "Artist", "Album");
            rows.add(row);
            creates.add(change(HOOKS, row, null, LocalOperation.CREATE, 0, Instant.now(), fields("Hooked " + i)));
        }
        creates.forEach(capture::send);
        await("created").atMost(PATIENCE).until(() -> application.externalId(rows.get(0)) != null
                && application.externalId(rows.get(1)) != null && application.externalId(rows.get(2)) != null);
        for (int i = 0; i < 3; i++) {
            JsonNode item = item(application.externalId(rows.get(i)));
            assertThat(item.path("name").asString()).isEqualTo("Hooked " + i);
            assertThat(item.path("artist").asString()).isEqualTo("A");
            assertThat(application.sourceVersion(rows.get(i))).isEqualTo(Instant.parse(item.path("updatedAt").asString()).toEpochMilli());
        }

        application.rename(rows.get(0), "Hooked 0 (edited)");
        capture.send(change(HOOKS, rows.get(0), application.externalId(rows.get(0)), LocalOperation.UPDATE,
                application.sourceVersion(rows.get(0)), Instant.now(), fields("Hooked 0 (edited)")));
        String gone = application.externalId(rows.get(1));
        application.markDeleted(rows.get(1));
        capture.send(change(HOOKS, rows.get(1), gone, LocalOperation.DELETE, application.sourceVersion(rows.get(1)),
                Instant.now(), Map.of()));
        await("edited and deleted").atMost(PATIENCE).untilAsserted(() -> {
            assertThat(item(application.externalId(rows.get(0))).path("name").asString()).isEqualTo("Hooked 0 (edited)");
            assertThat(status(music + "/music/" + gone)).isEqualTo(404);
        });

        // a crash after the receiver's answer, before the write-back: the row has no external id, the change comes again
        String first = application.externalId(rows.get(2));
        execute("UPDATE music_items SET external_id = NULL WHERE id = " + rows.get(2));
        capture.send(creates.get(2));
        await("stored again").atMost(PATIENCE).until(() -> application.externalId(rows.get(2)) != null);
        assertThat(application.externalId(rows.get(2))).isEqualTo(first);
        JsonNode after = stats();
        assertThat(delta(before, after)).containsEntry("creates", 3L).containsEntry("updates", 1L)
                .containsEntry("deletes", 1L);
        assertThat(after.path("replays").asLong() - before.path("replays").asLong()).isEqualTo(1);
        assertThat(delivered(HOOKS, "create", "delivered")).isEqualTo(4);
    }

    /** A receiver that refuses the signature (401) is a permanent failure: dead-lettered with the reason, not retried. */
    @Test
    void aWebhookSignedWithAnotherSecretIsRefusedAndDeadLetteredWithTheReason() throws Exception {
        JsonNode before = stats();
        long row = application.insert(WRONG_SECRET, "Unsigned", "A", "B");
        LocalChange create = change(WRONG_SECRET, row, null, LocalOperation.CREATE, 0, Instant.now(), fields("Unsigned"));
        capture.send(create);

        ConsumerRecord<String, byte[]> dead = deadLetter(create.key());
        assertThat(LocalChangeJson.read(dead.value()).changeId()).isEqualTo(create.changeId());
        assertThat(new String(dead.headers().lastHeader("kafka_dlt-exception-message").value(), StandardCharsets.UTF_8))
                .contains("HTTP 401").contains("no webhook-signature matches");
        assertThat(application.externalId(row)).isNull();
        assertThat(delta(before, stats())).containsEntry("creates", 0L);
    }

    @Test
    void lastWriterWinsPushesALaterLocalChangeAndDropsAnEarlierOne() throws Exception {
        Conflict later = conflict(LWW, Duration.ofSeconds(5));
        Conflict earlier = conflict(LWW, Duration.ofSeconds(-5));
        await("resolved").atMost(PATIENCE).untilAsserted(() -> {
            assertThat(item(later.externalId).path("name").asString()).isEqualTo("local edit");
            assertThat(delivered(LWW, "update", "conflict-dropped")).isGreaterThanOrEqualTo(1);
        });
        assertThat(item(earlier.externalId).path("name").asString()).isEqualTo("source edit");
    }

    @Test
    void sourceWinsDropsTheLocalChange() throws Exception {
        Conflict conflict = conflict(SOURCE_WINS, Duration.ofSeconds(5));
        await("resolved").atMost(PATIENCE).until(() -> delivered(SOURCE_WINS, "update", "conflict-dropped") >= 1);
        assertThat(item(conflict.externalId).path("name").asString()).isEqualTo("source edit");
    }

    @Test
    void localWinsPushesTheLocalChangeAnyway() throws Exception {
        Conflict conflict = conflict(LOCAL_WINS, Duration.ofSeconds(-5));
        await("resolved").atMost(PATIENCE).untilAsserted(() ->
                assertThat(item(conflict.externalId).path("name").asString()).isEqualTo("local edit"));
    }

    private record Conflict(long row, String externalId) {
    }

    /**
     * A synced item (created at the source, its row at that version), then changed at the source, then edited
     * locally from the old version, the local commit {@code offset} from the source's change.
     */
    private Conflict conflict(String source, Duration offset) throws Exception {
        JsonNode created = json(http.send(HttpRequest.newBuilder(URI.create(music + "/music"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"synced\",\"artist\":\"A\",\"album\":\"B\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString()).body());
        String externalId = created.path("id").asString();
        long base = Instant.parse(created.path("updatedAt").asString()).toEpochMilli();
        long row = application.insertSynced(source, externalId, base);
        JsonNode changed = json(http.send(HttpRequest.newBuilder(URI.create(music + "/music/" + externalId))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"source edit\",\"artist\":\"A\",\"album\":\"B\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString()).body());
        Instant sourceChange = Instant.parse(changed.path("updatedAt").asString());
        application.rename(row, "local edit");
        capture.send(change(source, row, externalId, LocalOperation.UPDATE, base, sourceChange.plus(offset), fields("local edit")));
        return new Conflict(row, externalId);
    }

    private static Map<String, Object> fields(String name) {
        return Map.of("name", name, "artist", "A", "album", "B");
    }

    private LocalChange change(String source, long row, String externalId, LocalOperation op, long base, Instant at,
            Map<String, Object> fields) {
        return capture.change(source, "music_items", row, externalId, op, base, at, fields);
    }

    private double delivered(String source, String op, String outcome) {
        Counter counter = writer.getBean(MeterRegistry.class).find("tributary.outbound.delivered")
                .tags("source", source, "entity", "music_items", "op", op, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private ConsumerRecord<String, byte[]> deadLetter(String key) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaCondition.getBroker().getBrokersAsString());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(OutboundTopics.deadLetterOf(TOPIC)));
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await("dead letter").atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection db = DriverManager.getConnection(application.url()); Statement statement = db.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    // --- the music inventory's side ---

    private JsonNode stats() throws Exception {
        return json(http.send(HttpRequest.newBuilder(URI.create(music + "/admin/music/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static Map<String, Long> delta(JsonNode before, JsonNode after) {
        Map<String, Long> delta = new HashMap<>();
        for (String name : List.of("creates", "updates", "deletes")) {
            delta.put(name, after.path(name).asLong() - before.path(name).asLong());
        }
        return delta;
    }

    private JsonNode item(String externalId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(music + "/music/" + externalId)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("item %s", externalId).isEqualTo(200);
        return json(response.body());
    }

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void post(String url) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private void delete(String url) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    private static JsonNode json(String body) {
        return JSON.readTree(body);
    }
}
