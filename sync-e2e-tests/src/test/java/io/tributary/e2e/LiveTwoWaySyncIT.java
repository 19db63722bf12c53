package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The music inventory two ways with nothing configured for it (decision 0029): {@code examples/music-inventory.yaml}
 * is PUT through the admin API; the poller follows it (0022) and the writer too — it creates the two-way
 * {@code music_items} table from the definition's target and delivers the application's changes as its
 * {@code delivery} says. The application inserts, updates and deletes rows of the writer's SQLite table and the
 * simulator's /music API follows, each exactly once, with no echo.
 *
 * <p>The poller's capture is enabled for the main database and names no entity: it captures {@code music_items}
 * because the definition makes it two-way (decision 0030), as the writer installs its triggers (0029).
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class LiveTwoWaySyncIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SOURCE = "music-faker";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private String music;
    private String database;

    @Test
    void localChangesOfATableLearntFromADefinitionReachTheSource(EmbeddedKafkaBroker broker) throws Exception {
        Path mainDb = dir.resolve("main.db");
        database = "jdbc:sqlite:" + mainDb + "?busy_timeout=10000";
        try (ConfigurableApplicationContext simulator = ForumSimulatorApplication.builder().run("--server.port=0",
                "--forum-simulator.database=" + dir.resolve("simulator.db"), "--forum-simulator.seed.users=1",
                "--forum-simulator.seed.sections=1", "--forum-simulator.seed.topics=1",
                "--forum-simulator.seed.messages=1");
             LivePipeline live = LivePipeline.start(broker, dir, "acme-records",
                     List.of("--tributary.writer.outbound.redelivery.initial-interval=100ms",
                             "--tributary.writer.outbound.redelivery.max-interval=500ms"),
                     List.of("--tributary.poller.capture.enabled=true",
                              "--tributary.poller.capture.dialect=sqlite",
                             "--tributary.poller.capture.path=" + mainDb,
                             "--tributary.poller.capture.poll-interval=100ms"))) {
            music = "http://127.0.0.1:" + PipelineServices.port(simulator);
            // the organization's own secret file (decision 0031): the poller and the writer resolve it
            Path token = Files.writeString(Files.createDirectories(LivePipeline.secretsDirectory(dir)
                    .resolve("acme-records")).resolve("music-token"), "music-token");
            String definition = Files.readString(Path.of("..", "examples", "music-inventory.yaml"))
                    .replace("http://localhost:5000", music)
                    .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN}", "${file:" + token + "}")
                    .replace("schedule: {interval: 1m}", "schedule: {interval: 300ms}\n"
                            + "retry: {maxAttempts: 3, initialBackoff: 20ms, maxBackoff: 100ms}");
            HttpResponse<String> put = live.put(SOURCE, definition);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);

            String blueTrain = createAtSource("Blue Train");
            await("an item created at the source arrives in the table the writer made from the definition")
                    .atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(rows()).containsKey(blueTrain));
            Map<String, Long> before = stats();

            long row = insertRow("Giant Steps");
            await("a local insert reaches the source and the row gets its external id").atMost(PATIENCE)
                    .until(() -> externalId(row) != null);
            String giantSteps = externalId(row);
            assertThat(item(giantSteps).path("name").asString()).isEqualTo("Giant Steps");

            execute("UPDATE music_items SET name = ? WHERE id = ?", "Giant Steps (remastered)", row);
            await("a local update reaches the source").atMost(PATIENCE).untilAsserted(() ->
                    assertThat(item(giantSteps).path("name").asString()).isEqualTo("Giant Steps (remastered)"));

            execute("UPDATE music_items SET deleted = 1 WHERE id = ?", row);
            await("a local delete reaches the source").atMost(PATIENCE)
                    .until(() -> status(music + "/music/" + giantSteps) == 404);

            Map<String, Long> after = stats();
            await("the echoes of our changes, polled back, make no further call").during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(20)).until(() -> stats().equals(after));
            assertThat(after.get("creates") - before.get("creates")).as("creates").isEqualTo(1);
            assertThat(after.get("updates") - before.get("updates")).as("updates").isEqualTo(1);
            assertThat(after.get("deletes") - before.get("deletes")).as("deletes").isEqualTo(1);
            assertThat(after.getOrDefault("requests POST /music", 0L) - before.getOrDefault("requests POST /music", 0L)).as("raw creates").isEqualTo(1);
            assertThat(after.entrySet().stream().filter(e -> e.getKey().startsWith("requests ")
                    && !e.getKey().equals("requests POST /music"))
                    .mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum())
                    .as("raw updates and deletes (one each, nothing repeated)").isEqualTo(2);
            assertThat(rows()).as("the table holds the source's items").isEqualTo(sourceItems());
        }
    }

    private String createAtSource(String name) throws Exception {
        HttpResponse<String> created = send("POST", music + "/admin/music/items",
                JSON.writeValueAsString(Map.of("name", name, "artist", "John Coltrane", "album", name)));
        assertThat(created.statusCode()).as(created.body()).isBetween(200, 201);
        return JSON.readTree(created.body()).get("id").asString();
    }

    private HttpResponse<String> send(String method, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer music-token")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String url) throws Exception {
        return send("GET", url, null).statusCode();
    }

    private JsonNode item(String externalId) throws Exception {
        return JSON.readTree(send("GET", music + "/music/" + externalId, null).body());
    }

    /**
     * The simulator's effective writes (creates, updates, deletes) and its raw writing requests per route (the reads
     * of the poller's passes and of the conflict checks left out: they go on while nothing is written).
     */
    private Map<String, Long> stats() throws Exception {
        Map<String, Long> stats = new TreeMap<>();
        JsonNode body = JSON.readTree(send("GET", music + "/admin/music/stats", null).body());
        body.properties().forEach(entry -> {
            if (entry.getValue().isNumber()) {
                stats.put(entry.getKey(), entry.getValue().asLong());
            }
        });
        body.path("requests").properties().forEach(entry -> {
            if (!entry.getKey().startsWith("GET ")) {
                stats.put("requests " + entry.getKey(), entry.getValue().asLong());
            }
        });
        return stats;
    }

    private Map<String, String> sourceItems() throws Exception {
        Map<String, String> items = new TreeMap<>();
        for (JsonNode item : JSON.readTree(send("GET", music + "/music", null).body())) {
            items.put(item.get("id").asString(), item.get("name").asString());
        }
        return items;
    }

    /** Live rows with an external id: external id → name; empty while the table does not exist. */
    private Map<String, String> rows() throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Connection db = DriverManager.getConnection(database); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT external_id, name FROM music_items WHERE source_id = '" + SOURCE
                     + "' AND deleted = 0 AND external_id IS NOT NULL")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            if (!e.getMessage().contains("no such table")) {
                throw e;
            }
        }
        return rows;
    }

    private long insertRow(String name) throws SQLException {
        try (Connection db = DriverManager.getConnection(database);
             PreparedStatement insert = db.prepareStatement("INSERT INTO music_items (source_id, external_id,"
                     + " source_version, deleted, synced_at, name, artist, album) VALUES (?, NULL, 0, 0, ?, ?,"
                     + " 'John Coltrane', ?)", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, SOURCE);
            insert.setString(2, "1970-01-01T00:00:00Z");
            insert.setString(3, name);
            insert.setString(4, name);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
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
        try (Connection db = DriverManager.getConnection(database);
             PreparedStatement st = db.prepareStatement("SELECT external_id FROM music_items WHERE id = ?")) {
            st.setLong(1, row);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
