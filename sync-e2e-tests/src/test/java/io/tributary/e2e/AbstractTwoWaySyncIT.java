package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.poller.PollerApplication;
import io.tributary.simulator.ForumSimulatorApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The second brief's scenario end to end (issue 6): an organization's music inventory in two-way mode,
 * {@code examples/music-inventory.yaml} against the simulator's music API. Inbound: the poller's {@code rest}
 * source and the writer; deletes at the source found by reconciliation. Outbound: the application writes rows
 * in the SQLite main database, the poller's capture (changelog triggers, decision 0024) publishes them, the
 * writer delivers them (decision 0025). Run on SQLite ({@link SqliteTwoWaySyncIT}) and PostgreSQL
 * ({@link PostgresTwoWaySyncIT}), whose capture differs (changelog triggers, Debezium). Proves the loop is closed: one local change makes exactly one call,
 * and its echo, polled back, makes none; that a target down for a while receives everything after; and that
 * when both sides changed an item, last-writer-wins keeps the later edit on both sides, in either order.
 */
abstract class AbstractTwoWaySyncIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SOURCE = "music-faker";
    private static final Duration PATIENCE = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private String music;
    private String database;

    /** The main database's JDBC URL, for the test's own reads and for the application's writes. */
    protected abstract String jdbcUrl(Path mainDb);

    /** Writer arguments selecting the main database (after the common ones). */
    protected abstract List<String> writerDatabase(Path mainDb);

    /** Poller arguments of the capture's dialect. */
    protected abstract List<String> capture(Path mainDb);

    /** Returns once the capture follows the database (PostgreSQL's starts at the WAL of its first start). */
    protected void awaitCapturing() throws Exception {
    }

    @Test
    void itemsCreatedUpdatedAndDeletedOnEitherSideAppearOnTheOtherWithoutEchoes(EmbeddedKafkaBroker broker)
            throws Exception {
        String bootstrap = broker.getBrokersAsString();
        Path mainDb = dir.resolve("main.db");
        database = jdbcUrl(mainDb);
        try (ConfigurableApplicationContext simulator = ForumSimulatorApplication.builder().run("--server.port=0",
                "--forum-simulator.database=" + dir.resolve("simulator.db"), "--forum-simulator.seed.users=1",
                "--forum-simulator.seed.sections=1", "--forum-simulator.seed.topics=1",
                "--forum-simulator.seed.messages=1")) {
            music = "http://127.0.0.1:" + PipelineServices.port(simulator);
            Path token = Files.writeString(dir.resolve("token"), "music-token");
            Path definition = Files.writeString(dir.resolve("music-inventory.yaml"),
                    Files.readString(Path.of("..", "examples", "music-inventory.yaml"))
                            .replace("http://localhost:5000", music)
                            .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN}", "${file:" + token + "}")
                            .replace("schedule: {interval: 1m}", "schedule: {interval: 300ms}\n"
                                    + "retry: {maxAttempts: 3, initialBackoff: 20ms, maxBackoff: 100ms}"));
            assertThat(Files.readString(definition)).contains("interval: 300ms").contains("two-way");

            List<String> writerArgs = new ArrayList<>(writerDatabase(mainDb));
            writerArgs.addAll(List.of("--tributary.writer.consumer.fetch-max-wait=50ms",
                    "--tributary.writer.outbound.redelivery.initial-interval=100ms",
                    "--tributary.writer.outbound.redelivery.max-interval=500ms",
                    "--tributary.writer.outbound.sources[0].definition=" + definition,
                    "--tributary.writer.entities[0].name=music_items",
                    "--tributary.writer.entities[0].two-way=true",
                    "--tributary.writer.entities[0].fields[0].name=name",
                    "--tributary.writer.entities[0].fields[0].type=text",
                    "--tributary.writer.entities[0].fields[1].name=artist",
                    "--tributary.writer.entities[0].fields[1].type=text",
                    "--tributary.writer.entities[0].fields[2].name=album",
                    "--tributary.writer.entities[0].fields[2].type=text"));
            try (ConfigurableApplicationContext writer = PipelineServices.writer(bootstrap, mainDb,
                    writerArgs.toArray(String[]::new))) {
                List<String> pollerArgs = new ArrayList<>(capture(mainDb));
                pollerArgs.addAll(List.of("--server.port=0",
                    "--spring.kafka.bootstrap-servers=" + bootstrap,
                    "--tributary.poller.sources[0].id=" + SOURCE,
                    "--tributary.poller.sources[0].kind=rest",
                    "--tributary.poller.sources[0].definition=" + definition,
                    "--tributary.poller.capture.enabled=true",
                    "--tributary.poller.capture.entities[0]=music_items",
                    "--tributary.poller.reconcile.writer-url=http://127.0.0.1:" + PipelineServices.port(writer),
                    "--tributary.poller.reconcile.interval=0s",
                    "--tributary.poller.reconcile.settle=0s"));
                try (ConfigurableApplicationContext poller = PollerApplication.builder().run(pollerArgs.toArray(String[]::new))) {
                String pollerUrl = "http://127.0.0.1:" + PipelineServices.port(poller);

                // The external side creates, updates and deletes: the main database follows.
                String blueTrain = createAtSource("Blue Train", "John Coltrane", "Blue Train");
                String kindOfBlue = createAtSource("So What", "Miles Davis", "Kind of Blue");
                await("items created at the source arrive").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> assertThat(rows()).containsKeys(blueTrain, kindOfBlue));
                send("PUT", music + "/music/" + kindOfBlue,
                        "{\"name\":\"So What (take 2)\",\"artist\":\"Miles Davis\",\"album\":\"Kind of Blue\"}");
                await("an update at the source arrives").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> assertThat(rows().get(kindOfBlue)).isEqualTo("So What (take 2)"));
                send("DELETE", music + "/music/" + blueTrain, null);
                await("a delete at the source arrives (found by reconciliation)").atMost(PATIENCE)
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            send("POST", pollerUrl + "/reconcile", null);
                            assertThat(rows()).doesNotContainKey(blueTrain).containsKey(kindOfBlue);
                        });
                Map<String, Long> quiet = stats();
                assertThat(quiet).as("nothing synced from the source was sent back to it")
                        .containsEntry("creates", 2L).containsEntry("updates", 1L).containsEntry("deletes", 1L);

                // The application creates, updates and deletes: the source follows, each exactly once.
                awaitCapturing();
                long row = insertRow("Giant Steps", "John Coltrane", "Giant Steps");
                await("a local create reaches the source and the row gets its external id").atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(externalId(row)).isNotNull());
                String giantSteps = externalId(row);
                assertThat(item(giantSteps).path("name").asString()).isEqualTo("Giant Steps");

                updateRow(row, "Giant Steps (remastered)");
                await("a local update reaches the source").atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(item(giantSteps).path("name").asString())
                                .isEqualTo("Giant Steps (remastered)"));
                long pushedVersion = sourceVersion(row);
                await("the source's echo of our update is polled back as a newer version").atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(sourceVersion(row)).isGreaterThanOrEqualTo(pushedVersion));
                Map<String, Long> afterUpdate = stats();
                assertThat(afterUpdate).as("one local create and one local update: exactly one call each")
                        .containsEntry("creates", 3L).containsEntry("updates", 2L).containsEntry("deletes", 1L);
                unchangedFor(this::stats, "the echo of our own change stops here: no further call to the source");
                assertThat(captured(poller)).as("captured: the local create and update, no writer write").isEqualTo(2.0);

                markDeleted(row);
                await("a local delete reaches the source").atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(status(music + "/music/" + giantSteps)).isEqualTo(404));
                assertThat(stats()).containsEntry("deletes", 2L);

                // The target is down for a while: every change made meanwhile arrives after.
                send("POST", music + "/admin/music/outage?status=503", null);
                long during = insertRow("Naima", "John Coltrane", "Giant Steps");
                long kindOfBlueRow = rowId(kindOfBlue);
                updateRow(kindOfBlueRow, "So What (edited while the source was down)");
                await("the outage holds the changes back").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                        .until(() -> externalId(during) == null);
                send("DELETE", music + "/admin/music/outage", null);
                await("after the outage the create and the update arrive").atMost(PATIENCE)
                        .untilAsserted(() -> {
                            assertThat(externalId(during)).isNotNull();
                            assertThat(item(kindOfBlue).path("name").asString())
                                    .isEqualTo("So What (edited while the source was down)");
                        });
                assertThat(item(externalId(during)).path("name").asString()).isEqualTo("Naima");
                await("both sides hold the same items").atMost(PATIENCE).pollInterval(Duration.ofMillis(300))
                        .untilAsserted(() -> assertThat(rows()).isEqualTo(sourceItems()));
                assertThat(stats()).containsEntry("creates", 4L).containsEntry("updates", 3L);

                // Both sides change an item while the source is down for us (someone at the source still edits it):
                // last-writer-wins, the example's policy, decides by time, in both orders.
                String naima = externalId(during);
                send("POST", music + "/admin/music/outage?status=503", null);
                Instant sourceFirst = changeAtSource(kindOfBlue, "So What (source edit, earlier)");
                await("the clock passes the source's edit").atMost(Duration.ofSeconds(5))
                        .until(() -> Instant.now().isAfter(sourceFirst));
                updateRow(kindOfBlueRow, "So What (local edit, later)");
                updateRow(during, "Naima (local edit, earlier)");
                Instant localFirst = Instant.now();
                await("the clock passes the local edit").atMost(Duration.ofSeconds(5))
                        .until(() -> Instant.now().isAfter(localFirst));
                changeAtSource(naima, "Naima (source edit, later)");
                send("DELETE", music + "/admin/music/outage", null);
                await("the later edit wins on both sides, whichever side made it").atMost(PATIENCE)
                        .pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                            assertThat(item(kindOfBlue).path("name").asString()).isEqualTo("So What (local edit, later)");
                            assertThat(item(naima).path("name").asString()).isEqualTo("Naima (source edit, later)");
                            assertThat(rows()).isEqualTo(sourceItems());
                        });
                assertThat(stats()).as("the two edits at the source, and of the local edits one pushed, one dropped")
                        .containsEntry("updates", 6L);
                }
            }
        } finally {
            afterServices();
        }
    }

    /** After the services stopped (PostgreSQL: drop the capture's slot and the database). */
    protected void afterServices() throws Exception {
    }

    /** Waits until {@code counter} has not changed for two seconds. */
    private static <T> void unchangedFor(Supplier<T> counter, String what) {
        Object[] last = {counter.get()};
        await(what).during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    T now = counter.get();
                    boolean same = now.equals(last[0]);
                    last[0] = now;
                    return same;
                });
    }

    private String createAtSource(String name, String artist, String album) throws Exception {
        HttpResponse<String> created = send("POST", music + "/music",
                JSON.writeValueAsString(Map.of("name", name, "artist", artist, "album", album)));
        assertThat(created.statusCode()).as(created.body()).isBetween(200, 201);
        return JSON.readTree(created.body()).get("id").asString();
    }

    /** Someone at the source edits an item (through the simulator's admin route, which ignores the outage). */
    private Instant changeAtSource(String externalId, String name) throws Exception {
        HttpResponse<String> changed = send("PUT", music + "/admin/music/items/" + externalId,
                JSON.writeValueAsString(Map.of("name", name, "artist", "A", "album", "B")));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        return Instant.parse(JSON.readTree(changed.body()).get("updatedAt").asString());
    }

    private HttpResponse<String> send(String method, String url, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer music-token")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private int status(String url) throws Exception {
        return send("GET", url, null).statusCode();
    }

    private JsonNode item(String externalId) throws Exception {
        return JSON.readTree(send("GET", music + "/music/" + externalId, null).body());
    }

    private Map<String, Long> stats() {
        try {
            JsonNode counts = JSON.readTree(send("GET", music + "/admin/music/stats", null).body());
            Map<String, Long> stats = new TreeMap<>();
            counts.properties().forEach(entry -> stats.put(entry.getKey(), entry.getValue().asLong()));
            return stats;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> sourceItems() throws Exception {
        Map<String, String> items = new TreeMap<>();
        for (JsonNode item : JSON.readTree(send("GET", music + "/music", null).body())) {
            items.put(item.get("id").asString(), item.get("name").asString());
        }
        return items;
    }

    /** Live rows of the source with an external id: external id → name. */
    private Map<String, String> rows() throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection db = DriverManager.getConnection(database); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT external_id, name FROM music_items WHERE source_id = '" + SOURCE
                     + "' AND deleted = 0 AND external_id IS NOT NULL")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            if (e.getMessage().contains("no such table")) {
                return rows;
            }
            throw e;
        }
        return rows;
    }

    private long insertRow(String name, String artist, String album) throws SQLException {
        try (Connection db = DriverManager.getConnection(database);
             PreparedStatement insert = db.prepareStatement("INSERT INTO music_items (source_id, external_id,"
                     + " source_version, deleted, synced_at, name, artist, album) VALUES (?, NULL, 0, 0, ?, ?, ?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, SOURCE);
            insert.setString(2, "1970-01-01T00:00:00Z");
            insert.setString(3, name);
            insert.setString(4, artist);
            insert.setString(5, album);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private void updateRow(long row, String name) throws SQLException {
        execute("UPDATE music_items SET name = ? WHERE id = ?", name, row);
    }

    private void markDeleted(long row) throws SQLException {
        execute("UPDATE music_items SET deleted = 1 WHERE id = ?", row);
    }

    private void execute(String sql, Object... values) throws SQLException {
        try (Connection db = DriverManager.getConnection(database); PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            st.executeUpdate();
        }
    }

    private String externalId(long row) throws SQLException {
        Object value = single("SELECT external_id FROM music_items WHERE id = ?", row);
        return value == null ? null : value.toString();
    }

    private long sourceVersion(long row) throws SQLException {
        return ((Number) single("SELECT source_version FROM music_items WHERE id = ?", row)).longValue();
    }

    private long rowId(String externalId) throws SQLException {
        return ((Number) single("SELECT id FROM music_items WHERE external_id = ?", externalId)).longValue();
    }

    private static double captured(ConfigurableApplicationContext poller) {
        return poller.getBean(MeterRegistry.class).find("tributary.poller.capture.captured").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private Object single(String sql, Object... values) throws SQLException {
        try (Connection db = DriverManager.getConnection(database); PreparedStatement st = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }
}
