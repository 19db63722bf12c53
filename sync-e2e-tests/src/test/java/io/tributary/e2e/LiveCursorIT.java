package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What happens to a live source's cursor (decision 0022), beside {@link LiveDefinitionIT}: admin service, poller
 * (following {@code tributary.config.sources}), writer and a fake albums API with an inclusive {@code since}
 * filter, on a real broker. The API lists the albums of the genre its {@code genre} query asks for, and counts the
 * requests per genre and those without {@code since} (passes from an empty cursor). A definition changed through
 * the API keeps its entity's cursor (the new filter applies from the high-water version on); a resync request
 * starts from an empty cursor and brings every record.
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class LiveCursorIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Map<String, Object>> albums = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    /** Requests without the incremental filter: a pass from an empty cursor. */
    private final Map<String, AtomicInteger> fullListings = new ConcurrentHashMap<>();

    @Test
    void aChangedDefinitionKeepsItsCursorAndAResyncStartsFromAnEmptyOne(EmbeddedKafkaBroker broker) throws Exception {
        for (int i = 1; i <= 5; i++) {
            album("r-" + i, "Rock album " + i, "rock", i);
            album("j-" + i, "Jazz album " + i, "jazz", i);
        }
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/albums", exchange -> {
            try (exchange) {
                Map<String, String> query = new HashMap<>();
                for (String pair : String.valueOf(exchange.getRequestURI().getQuery()).split("&")) {
                    String[] parts = pair.split("=", 2);
                    query.put(parts[0], parts.length > 1 ? parts[1] : "");
                }
                String genre = query.getOrDefault("genre", "");
                long since = Long.parseLong(query.getOrDefault("since", "0"));
                requests.computeIfAbsent(genre, g -> new AtomicInteger()).incrementAndGet();
                if (!query.containsKey("since")) {
                    fullListings.computeIfAbsent(genre, g -> new AtomicInteger()).incrementAndGet();
                }
                byte[] body = JSON.writeValueAsBytes(albums.values().stream()
                        .filter(album -> album.get("genre").equals(genre))
                        .filter(album -> ((Number) album.get("updatedAt")).longValue() >= since).toList());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        api.start();
        try (LivePipeline live = LivePipeline.start(broker, dir, "acme")) {
            Path database = live.database();
            String pollerUrl = live.pollerUrl();
            String apiUrl = "http://127.0.0.1:" + api.getAddress().getPort();
            String source = live.source("albums-api");

            // created through the API → polled → in the main database
            assertThat(live.call("PUT", source, definition(apiUrl, "rock"), "application/yaml").statusCode()).isEqualTo(201);
            await("the rock albums are synced").atMost(WAIT).untilAsserted(() ->
                    assertThat(MainDbRows.names(database, "albums", "albums-api")).isEqualTo(expected("rock")));
            assertThat(liveSources(pollerUrl)).containsExactly("albums-api");

            // the endpoint filter changed → jazz is polled, rock no longer, without a restart; the entity is the
            // same, so its cursor is kept (since=5): only the jazz album at version 5 or later comes
            assertThat(live.call("PUT", source, definition(apiUrl, "jazz"), "application/yaml").statusCode()).isEqualTo(200);
            await("the newest jazz album is synced").atMost(WAIT).untilAsserted(() ->
                    assertThat(MainDbRows.names(database, "albums", "albums-api")).containsEntry("j-5", "Jazz album 5"));
            assertThat(MainDbRows.names(database, "albums", "albums-api")).doesNotContainKeys("j-1", "j-2", "j-3", "j-4");
            assertThat(fullListings.get("jazz")).as("jazz listings without 'since'").isNull();

            // a resync request → a pass from an empty cursor: every jazz album
            assertThat(live.call("POST", source + "/resync", null, null).statusCode()).isEqualTo(200);
            await("the resync brings every jazz album").atMost(WAIT).untilAsserted(() ->
                    assertThat(MainDbRows.names(database, "albums", "albums-api")).containsAllEntriesOf(expected("jazz")));
            assertThat(fullListings.get("jazz")).as("jazz listings without 'since'").isNotNull();
            int rockAfterChange = count("rock");
            int jazz = count("jazz");
            await("jazz is polled again and again").atMost(WAIT).until(() -> count("jazz") >= jazz + 3);
            assertThat(count("rock")).as("rock requests after the change").isEqualTo(rockAfterChange);

        } finally {
            api.stop(0);
        }
    }

    private static String definition(String baseUrl, String genre) {
        return """
                organization: acme
                id: albums-api
                kind: rest
                baseUrl: %s
                schedule: {interval: 200ms}
                entities:
                  - name: albums
                    endpoint: {path: /albums, query: {genre: %s}}
                    incremental: {param: since, format: epoch-millis}
                    pagination: {type: none}
                    records: {path: $}
                    mapping:
                      key: externalId
                      version: {source: updatedAt, format: epoch-millis}
                      fields:
                        externalId: {type: string, source: id, required: true}
                        name: {type: string, source: name, required: true}
                        genre: {type: string, source: genre}
                    target:
                      table: albums
                      columns:
                        - {name: name, type: text, required: true}
                        - {name: genre, type: text}
                """.formatted(baseUrl, genre);
    }

    private void album(String id, String name, String genre, long version) {
        albums.put(id, Map.of("id", id, "name", name, "genre", genre, "updatedAt", version));
    }

    private int count(String genre) {
        return requests.computeIfAbsent(genre, g -> new AtomicInteger()).get();
    }

    private Map<String, String> expected(String genre) {
        Map<String, String> expected = new TreeMap<>();
        albums.values().stream().filter(album -> album.get("genre").equals(genre))
                .forEach(album -> expected.put((String) album.get("id"), (String) album.get("name")));
        return expected;
    }


    private List<String> liveSources(String pollerUrl) throws Exception {
        JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(pollerUrl + "/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        return status.get("sources").valueStream().map(source -> source.get("id").asString()).toList();
    }

}
