package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.json.JsonMapper;

/**
 * The second brief's music inventory with no Java written for it: a fake music server (GET /music, bearer
 * token), the poller's {@code rest} kind running {@code examples/music-inventory.yaml} (only its base URL,
 * token reference and interval changed for the test), Kafka, and the writer with the {@code music_items}
 * entity configured. The table ends equal to the server's records (trimmed as the mapping says); the record
 * the mapping refuses (no album) is not in it; a rename and a new record arrive on a later pass.
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class MusicInventorySyncIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "music-token-e2e";

    @TempDir
    Path dir;

    private final Map<String, Map<String, Object>> items = new ConcurrentHashMap<>();

    @Test
    void theMusicTableEqualsTheServersRecords(EmbeddedKafkaBroker broker) throws Exception {
        Instant t0 = Instant.parse("2026-11-22T08:00:00Z");
        for (int i = 1; i <= 40; i++) {
            item("m-" + i, " Song " + i + " ", "Artist " + (i % 7), "Album " + (i % 5), t0.plusSeconds(i));
        }
        Map<String, Object> broken = item("m-41", "No album", "Nobody", null, t0);
        broken.remove("album");

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/music", exchange -> {
            try (exchange) {
                boolean authorized = ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
                byte[] body = (authorized ? JSON.writeValueAsString(List.copyOf(new TreeMap<>(items).values()))
                        : "{\"error\":\"unauthorized\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        try {
            Path token = Files.writeString(dir.resolve("music-token"), TOKEN);
            String definition = Files.readString(Path.of("..", "examples", "music-inventory.yaml"))
                    .replace("http://localhost:5000", "http://127.0.0.1:" + server.getAddress().getPort())
                    .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN}", "${file:" + token + "}")
                    .replace("schedule: {interval: 1m}", "schedule: {interval: 300ms}");
            assertThat(definition).contains("${file:").contains("interval: 300ms");
            Path definitionFile = Files.writeString(dir.resolve("music-inventory.yaml"), definition);
            Path database = dir.resolve("main.db");
            String bootstrap = broker.getBrokersAsString();

            try (ConfigurableApplicationContext writer = PipelineServices.writer(bootstrap, database,
                    "--tributary.writer.consumer.fetch-max-wait=50ms",
                    "--tributary.writer.entities[0].name=music_items",
                    "--tributary.writer.entities[0].fields[0].name=name",
                    "--tributary.writer.entities[0].fields[0].type=text",
                    "--tributary.writer.entities[0].fields[0].required=true",
                    "--tributary.writer.entities[0].fields[1].name=artist",
                    "--tributary.writer.entities[0].fields[1].type=text",
                    "--tributary.writer.entities[0].fields[1].required=true",
                    "--tributary.writer.entities[0].fields[2].name=album",
                    "--tributary.writer.entities[0].fields[2].type=text",
                    "--tributary.writer.entities[0].fields[2].required=true");
                 ConfigurableApplicationContext poller = io.tributary.poller.PollerApplication.builder().run(
                    "--server.port=0",
                    "--spring.kafka.bootstrap-servers=" + bootstrap,
                    "--tributary.poller.sources[0].id=music-faker",
                    "--tributary.poller.sources[0].kind=rest",
                    "--tributary.poller.sources[0].definition=" + definitionFile)) {

                await("the music table equals the server's records").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> assertThat(rows(database)).isEqualTo(expected()));

                item("m-7", "Renamed song", "Artist 0", "Album 2", t0.plusSeconds(100));
                item("m-42", "New song", "Artist 1", "Album 1", t0.plusSeconds(101));
                await("a rename and a new record on a later pass").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> assertThat(rows(database)).isEqualTo(expected()));
                assertThat(rows(database)).doesNotContainKey("m-41").containsKey("m-42");
                assertThat(rows(database).get("m-1")).containsEntry("name", "Song 1");
            }
        } finally {
            server.stop(0);
        }
    }

    private Map<String, Object> item(String id, String name, String artist, String album, Instant updatedAt) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("name", name);
        item.put("artist", artist);
        item.put("album", album);
        item.put("updatedAt", updatedAt.toString());
        items.put(id, item);
        return item;
    }

    /** What the table must hold: every record the mapping accepts, trimmed, at its version. */
    private Map<String, Map<String, Object>> expected() {
        Map<String, Map<String, Object>> expected = new TreeMap<>();
        items.values().stream().filter(item -> item.get("album") != null).forEach(item -> {
            Map<String, Object> row = new TreeMap<>();
            row.put("name", ((String) item.get("name")).strip());
            row.put("artist", ((String) item.get("artist")).strip());
            row.put("album", ((String) item.get("album")).strip());
            row.put("source_version", Instant.parse((String) item.get("updatedAt")).toEpochMilli());
            expected.put((String) item.get("id"), row);
        });
        return expected;
    }

    private static Map<String, Map<String, Object>> rows(Path database) {
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT external_id, name, artist, album, source_version FROM music_items"
                     + " WHERE source_id = 'music-faker' AND deleted = 0")) {
            while (rs.next()) {
                Map<String, Object> row = new TreeMap<>();
                row.put("name", rs.getString(2));
                row.put("artist", rs.getString(3));
                row.put("album", rs.getString(4));
                row.put("source_version", rs.getLong(5));
                rows.put(rs.getString(1), row);
            }
        } catch (SQLException e) {
            return Map.of(); // the table is not created yet
        }
        return rows;
    }
}
