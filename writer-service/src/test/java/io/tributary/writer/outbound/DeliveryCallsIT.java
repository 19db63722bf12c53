package io.tributary.writer.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.outbound.LocalChange;
import io.tributary.model.outbound.LocalOperation;
import io.tributary.writer.WriterApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calls delivery makes, seen by the source: a real broker, the writer (SQLite main database, two-way
 * {@code music_items} and {@code music_extras}, {@code examples/music-inventory.yaml} with a second entity delivering to a {@link FakeMusicSource} that records
 * every request with its headers). The test plays the application ({@link ApplicationRows}) and the capture
 * ({@link StandInCapture}).
 * The consumer is configured with a {@code max.poll.interval.ms} (2 s) shorter than a change can take, as a default
 * of 5 minutes is shorter than the defaults' worst case: delivery must derive its own ({@link DeliveryBudget}).
 */
@EmbeddedKafka(partitions = 1, brokerProperties = "group.initial.rebalance.delay.ms=0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryCallsIT {

    private static final String SOURCE = "music-calls";
    /** The same definition with {@code delivery.ifMatch: true}. */
    private static final String IF_MATCH = "music-if-match";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FakeMusicSource music;
    private ConfigurableApplicationContext writer;
    private StandInCapture capture;
    private ApplicationRows application;
    /** A second two-way table of the same source: its rows are numbered apart from {@code music_items}'. */
    private ApplicationRows extras;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        music = new FakeMusicSource();
        Path token = Files.writeString(dir.resolve("token"), "music-token");
        String definition = Files.readString(Path.of("..", "examples", "music-inventory.yaml"))
                .replace("id: music-faker", "id: " + SOURCE)
                .replace("http://localhost:5000", music.url())
                .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN}", "${file:" + token + "}")
                .replace("schedule: {interval: 1m}", "schedule: {interval: 1m}\n"
                        + "retry: {maxAttempts: 4, initialBackoff: 20ms, maxBackoff: 100ms}");
        // a second entity delivered to the same endpoints, into its own table
        definition += definition.substring(definition.indexOf("  - name: music_items"))
                .replace("name: music_items", "name: music_extras").replace("table: music_items", "table: music_extras");
        assertThat(definition).contains("maxAttempts: 4").contains(music.url()).contains("table: music_extras");
        List<String> args = new java.util.ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.kafka.consumer.properties.max.poll.interval.ms=2000",
                "--server.port=0", "--tributary.writer.database.path=" + dir.resolve("main.db"),
                "--tributary.writer.topics.partitions=1",
                "--tributary.writer.outbound.request-timeout=1s",
                "--tributary.writer.outbound.redelivery.initial-interval=100ms",
                "--tributary.writer.outbound.redelivery.max-interval=500ms",
                "--tributary.writer.outbound.sources[0].definition="
                        + Files.writeString(dir.resolve("music.yaml"), definition),
                "--tributary.writer.outbound.sources[1].definition=" + Files.writeString(dir.resolve("if-match.yaml"),
                        definition.replace("id: " + SOURCE, "id: " + IF_MATCH).replace(
                                "idempotencyKeyHeader: Idempotency-Key", "idempotencyKeyHeader: Idempotency-Key\n      ifMatch: true")),
                "--tributary.writer.entities[0].name=music_items", "--tributary.writer.entities[0].two-way=true"));
        args.addAll(List.of("--tributary.writer.entities[1].name=music_extras",
                "--tributary.writer.entities[1].two-way=true"));
        List<String> fields = List.of("name", "artist", "album");
        for (int entity = 0; entity < 2; entity++) {
            for (int i = 0; i < fields.size(); i++) {
                args.add("--tributary.writer.entities[" + entity + "].fields[" + i + "].name=" + fields.get(i));
                args.add("--tributary.writer.entities[" + entity + "].fields[" + i + "].type=text");
            }
        }
        writer = WriterApplication.builder().run(args.toArray(String[]::new));
        application = ApplicationRows.of(dir.resolve("main.db"), "music_items");
        extras = ApplicationRows.of(dir.resolve("main.db"), "music_extras");
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
        if (music != null) {
            music.close();
        }
    }

    /** The idempotency key is the change id on every write a change makes: its create, its update, its delete. */
    @Test
    void everyWriteCarriesItsChangeIdAsTheIdempotencyKey() throws Exception {
        long row = application.insert(SOURCE, "Blue in Green", "A", "B");
        LocalChange create = change(SOURCE, row, null, LocalOperation.CREATE, 0, fields("Blue in Green"));
        capture.send(create);
        await("created").atMost(PATIENCE).until(() -> application.externalId(row) != null);
        String id = application.externalId(row);

        LocalChange update = change(SOURCE, row, id, LocalOperation.UPDATE, application.sourceVersion(row), fields("Blue in Green (take 3)"));
        capture.send(update);
        await("updated").atMost(PATIENCE)
                .until(() -> "Blue in Green (take 3)".equals(music.item(id).path("name").asString()));
        application.markDeleted(row);
        LocalChange delete = change(SOURCE, row, id, LocalOperation.DELETE, application.sourceVersion(row), Map.of());
        capture.send(delete);
        await("deleted").atMost(PATIENCE).until(() -> !music.requests("DELETE").stream()
                .filter(request -> request.path().equals("/music/" + id)).toList().isEmpty());

        assertThat(writes("POST", "/music")).extracting(request -> request.header("Idempotency-Key"))
                .contains(create.changeId());
        assertThat(writes("PUT", "/music/" + id)).extracting(request -> request.header("Idempotency-Key"))
                .containsExactly(update.changeId());
        assertThat(writes("DELETE", "/music/" + id)).extracting(request -> request.header("Idempotency-Key"))
                .containsExactly(delete.changeId());
        assertThat(music.requests("GET")).filteredOn(request -> request.path().equals("/music/" + id))
                .as("the conflict check's reads carry none: they change nothing").hasSize(2)
                .allSatisfy(request -> assertThat(request.header("Idempotency-Key")).isNull());
    }

    /**
     * An update whose PUT gets no answer three times (three request timeouts of 1 s, then the fourth attempt
     * answers) keeps the consumer from polling for over 3 s, longer than the configured 2 s: the consumer's own
     * interval, derived from the delivery settings, holds it, so the change is delivered once — no rebalance, no
     * failed offset commit, no second round of calls. A rebalance would redeliver the update before the delete
     * that follows it on the same key.
     */
    @Test
    void aChangeSlowerThanTheConfiguredPollIntervalIsDeliveredOnce() throws Exception {
        long row = application.insert(SOURCE, "Flamenco Sketches", "A", "B");
        capture.send(change(SOURCE, row, null, LocalOperation.CREATE, 0, fields("Flamenco Sketches")));
        await("created").atMost(PATIENCE).until(() -> application.externalId(row) != null);
        String id = application.externalId(row);
        double retrying = delivered(SOURCE, "update", "retrying");

        long base = application.sourceVersion(row);
        music.hangNext("PUT", 3);
        LocalChange update = change(SOURCE, row, id, LocalOperation.UPDATE, base, fields("Flamenco Sketches (alt)"));
        capture.send(update);
        application.markDeleted(row);
        capture.send(change(SOURCE, row, id, LocalOperation.DELETE, base, Map.of())); // captured after the update, on the same key
        await("the update, then the delete").atMost(PATIENCE).until(() -> !writes("DELETE", "/music/" + id).isEmpty());

        assertThat(writes("PUT", "/music/" + id)).as("three attempts unanswered, the fourth delivered; nothing again")
                .hasSize(4).allSatisfy(request -> assertThat(request.header("Idempotency-Key")).isEqualTo(update.changeId()));
        assertThat(delivered(SOURCE, "update", "retrying")).as("delivered within one listener call").isEqualTo(retrying);
        assertThat(delivered(SOURCE, "update", "delivered")).isGreaterThanOrEqualTo(1);
    }

    /**
     * The race of the conflict check (decision 0025): someone at the source edits the record after delivery read it
     * and before its PUT or DELETE arrives. With {@code delivery.ifMatch} the write carries the read's ETag, the source
     * answers 412, and the change is evaluated again against the record as it is now: last-writer-wins finds the
     * source's edit later than the local change and drops it — the edit stays, a dropped delete leaves the row live.
     */
    @Test
    void withIfMatchASourceEditBetweenTheReadAndTheWriteIsNotOverwritten() throws Exception {
        long edited = syncedRow(IF_MATCH, "Milestones");
        long deleted = syncedRow(IF_MATCH, "Sid's Ahead");
        String editedId = application.externalId(edited);
        String deletedId = application.externalId(deleted);
        String etag = "\"" + music.version(editedId) + "\"";
        double dropped = delivered(IF_MATCH, "update", "conflict-dropped") + delivered(IF_MATCH, "delete", "conflict-dropped");

        music.editBeforeNextWrite(editedId, "Milestones (edited at the source)");
        capture.send(change(IF_MATCH, edited, editedId, LocalOperation.UPDATE, application.sourceVersion(edited), fields("Milestones (local)")));
        music.editBeforeNextWrite(deletedId, "Sid's Ahead (edited at the source)");
        application.markDeleted(deleted);
        capture.send(change(IF_MATCH, deleted, deletedId, LocalOperation.DELETE, application.sourceVersion(deleted), Map.of()));

        await("both evaluated again and dropped").atMost(PATIENCE).until(() -> delivered(IF_MATCH, "update",
                "conflict-dropped") + delivered(IF_MATCH, "delete", "conflict-dropped") == dropped + 2);
        assertThat(music.item(editedId).path("name").asString()).isEqualTo("Milestones (edited at the source)");
        assertThat(music.item(deletedId).path("name").asString()).isEqualTo("Sid's Ahead (edited at the source)");
        assertThat(writes("PUT", "/music/" + editedId)).as("one conditional PUT, refused")
                .singleElement().satisfies(request -> assertThat(request.header("If-Match")).isEqualTo(etag));
        assertThat(writes("DELETE", "/music/" + deletedId)).singleElement()
                .satisfies(request -> assertThat(request.header("If-Match")).isNotNull());
        assertThat(delivered(IF_MATCH, "update", "retrying")).as("the 412 had the change evaluated again").isPositive();
        assertThat(application.column(deleted, "deleted")).as("the dropped delete is undone (decision 0033)").isEqualTo(0);
    }

    /** The documented limit without {@code ifMatch}: the source's edit between the read and the PUT is overwritten. */
    @Test
    void withoutIfMatchASourceEditBetweenTheReadAndTheWriteIsOverwritten() throws Exception {
        long row = syncedRow(SOURCE, "Straight, No Chaser");
        String id = application.externalId(row);

        music.editBeforeNextWrite(id, "Straight, No Chaser (edited at the source)");
        capture.send(change(SOURCE, row, id, LocalOperation.UPDATE, application.sourceVersion(row), fields("Straight, No Chaser (local)")));

        await("pushed over the source's edit").atMost(PATIENCE)
                .until(() -> "Straight, No Chaser (local)".equals(music.item(id).path("name").asString()));
        assertThat(writes("PUT", "/music/" + id)).singleElement()
                .satisfies(request -> assertThat(request.header("If-Match")).isNull());
    }

    /**
     * Two entities of one source number their rows apart, so both can have a row 5: the create of one whose
     * write-back failed is kept for that row only. The other's row 5 is created at the source on its own, and the
     * first is stored with the id the source gave it, without a second POST.
     */
    @Test
    void aCreateWaitingForItsWriteBackIsNotStoredOnTheSameRowIdOfAnotherEntity() throws Exception {
        long row = application.insert(SOURCE, "So What", "A", "B");
        long other = rowNumbered(extras, row, "Freddie Freeloader");
        assertThat(other).as("the same local id in both tables").isEqualTo(row);
        int posts = writes("POST", "/music").size();
        double retrying = delivered(SOURCE, "create", "retrying");
        execute("CREATE TRIGGER test_refuse_write_back BEFORE UPDATE OF external_id ON music_items"
                + " WHEN NEW.external_id IS NOT NULL BEGIN SELECT RAISE(ABORT, 'write-back refused by the test'); END");
        try {
            capture.send(change(SOURCE, row, null, LocalOperation.CREATE, 0, fields("So What")));
            await("created at the source, its write-back refused").atMost(PATIENCE)
                    .until(() -> delivered(SOURCE, "create", "retrying") > retrying);
            capture.send(capture.change(SOURCE, "music_extras", other, null, LocalOperation.CREATE, 0, Instant.now(),
                    fields("Freddie Freeloader")));
            await("the other entity's row created").atMost(PATIENCE).until(() -> extras.externalId(other) != null);
            assertThat(application.externalId(row)).isNull();
        } finally {
            execute("DROP TRIGGER IF EXISTS test_refuse_write_back");
        }
        await("stored on redelivery").atMost(PATIENCE).until(() -> application.externalId(row) != null);

        assertThat(music.item(application.externalId(row)).path("name").asString()).isEqualTo("So What");
        assertThat(music.item(extras.externalId(other)).path("name").asString()).isEqualTo("Freddie Freeloader");
        List<FakeMusicSource.Request> creates = writes("POST", "/music");
        assertThat(creates.subList(posts, creates.size())).as("one create per row")
                .extracting(request -> JSON.readTree(request.body()).path("name").asString()).containsExactlyInAnyOrder("So What", "Freddie Freeloader");
    }

    /** A row of {@code source} created at the source by delivery: its external id and version stored. */
    private long syncedRow(String source, String name) throws Exception {
        long row = application.insert(source, name, "A", "B");
        capture.send(change(source, row, null, LocalOperation.CREATE, 0, fields(name)));
        await(name + " created").atMost(PATIENCE).until(() -> application.externalId(row) != null);
        return row;
    }

    /** A row of {@code rows} numbered {@code id} (or the next free one): rows without changes fill the ids before. */
    private static long rowNumbered(ApplicationRows rows, long id, String name) throws SQLException {
        long inserted;
        do {
            inserted = rows.insert(SOURCE, name, "A", "B");
        } while (inserted < id);
        return inserted;
    }

    private void execute(String sql) throws SQLException {
        try (Connection db = DriverManager.getConnection(application.url()); Statement statement = db.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private List<FakeMusicSource.Request> writes(String method, String path) {
        return music.requests(method).stream().filter(request -> request.path().equals(path)).toList();
    }

    private static Map<String, Object> fields(String name) {
        return Map.of("name", name, "artist", "A", "album", "B");
    }

    private LocalChange change(String source, long row, String externalId, LocalOperation op, long base,
            Map<String, Object> fields) {
        return capture.change(source, "music_items", row, externalId, op, base, Instant.now(), fields);
    }

    private double delivered(String source, String op, String outcome) {
        Counter counter = writer.getBean(MeterRegistry.class).find("tributary.outbound.delivered")
                .tags("source", source, "entity", "music_items", "op", op, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
