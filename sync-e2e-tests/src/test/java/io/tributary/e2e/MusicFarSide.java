package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.simulator.ForumSimulatorApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The far side of one two-way source: a simulator of its own (the poller lists everything its music API holds,
 * so two sources cannot share one). The test changes the inventory as "someone at the source" through the
 * simulator's admin routes, which its raw request counts leave out and outages do not stop: every call those
 * counts show was made by the pipeline.
 */
final class MusicFarSide implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * The simulator's counts: effective writes, and the raw calls per route ({@code "POST /music"}).
     */
    record Stats(long creates, long updates, long deletes, long replays, Map<String, Long> requests) {

        long calls(String route) {
            return requests.getOrDefault(route, 0L);
        }

        /** Calls that change the inventory (creates, replaces, deletes, webhooks), by route; zero counts left out. */
        Map<String, Long> writeCalls() {
            Map<String, Long> writes = new TreeMap<>(requests);
            writes.keySet().removeIf(route -> route.startsWith("GET "));
            writes.values().removeIf(count -> count == 0);
            return writes;
        }

        /** Every call but the listing (the poller's): what delivery sent, reads before a conflict check included. */
        long deliveryCalls() {
            return requests.entrySet().stream().filter(entry -> !entry.getKey().equals("GET /music"))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        Stats minus(Stats before) {
            Map<String, Long> delta = new TreeMap<>(requests);
            before.requests.forEach((route, count) -> delta.merge(route, -count, Long::sum));
            delta.values().removeIf(count -> count == 0);
            return new Stats(creates - before.creates, updates - before.updates, deletes - before.deletes,
                    replays - before.replays, delta);
        }
    }

    private final String sourceId;
    private final ConfigurableApplicationContext simulator;
    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();

    MusicFarSide(String sourceId, Path dir) {
        this.sourceId = sourceId;
        this.simulator = ForumSimulatorApplication.builder().run("--server.port=0",
                "--forum-simulator.database=" + dir.resolve(sourceId + "-simulator.db"), "--forum-simulator.seed.users=1",
                "--forum-simulator.seed.sections=1", "--forum-simulator.seed.topics=1", "--forum-simulator.seed.messages=1");
        this.url = "http://127.0.0.1:" + PipelineServices.port(simulator);
    }

    String sourceId() {
        return sourceId;
    }

    /** What the definition's {@code baseUrl} becomes. */
    String url() {
        return url;
    }

    /** Someone at the source adds an item; its id. */
    String create(String name) {
        HttpResponse<String> created = send("POST", "/admin/music/items", body(name));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asString();
    }

    /** Someone at the source renames an item; its new {@code updatedAt}. */
    Instant edit(String id, String name) {
        HttpResponse<String> changed = send("PUT", "/admin/music/items/" + id, body(name));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        return Instant.parse(JSON.readTree(changed.body()).get("updatedAt").asString());
    }

    /** Someone at the source removes an item. */
    void delete(String id) {
        assertThat(send("DELETE", "/admin/music/items/" + id, null).statusCode()).isEqualTo(204);
    }

    /** Id → name of every item (the listing, as the poller reads it). */
    Map<String, String> names() {
        Map<String, String> names = new TreeMap<>();
        items().forEach((id, item) -> names.put(id, item.get("name").asString()));
        return names;
    }

    /** The item's version as the mapping reads it (epoch ms of {@code updatedAt}); null when it does not exist. */
    @Nullable Long version(String id) {
        JsonNode item = items().get(id);
        return item == null ? null : Instant.parse(item.get("updatedAt").asString()).toEpochMilli();
    }

    Stats stats() {
        JsonNode stats = JSON.readTree(send("GET", "/admin/music/stats", null).body());
        Map<String, Long> requests = new TreeMap<>();
        stats.path("requests").properties().forEach(entry -> requests.put(entry.getKey(), entry.getValue().asLong()));
        return new Stats(stats.path("creates").asLong(), stats.path("updates").asLong(), stats.path("deletes").asLong(),
                stats.path("replays").asLong(), requests);
    }

    /** {@code query}: e.g. {@code status=503}, {@code status=503&methods=PUT}, {@code status=503&applied=true}. */
    void outage(String query) {
        assertThat(send("POST", "/admin/music/outage?" + query, null).statusCode()).isEqualTo(204);
    }

    void endOutage() {
        assertThat(send("DELETE", "/admin/music/outage", null).statusCode()).isEqualTo(204);
    }

    @Override
    public void close() {
        simulator.close();
    }

    private Map<String, JsonNode> items() {
        HttpResponse<String> listing = send("GET", "/music", null);
        assertThat(listing.statusCode()).as("the listing (is an outage on?)").isEqualTo(200);
        Map<String, JsonNode> items = new TreeMap<>();
        for (JsonNode item : JSON.readTree(listing.body())) {
            items.put(item.get("id").asString(), item);
        }
        return items;
    }

    private static String body(String name) {
        return JSON.writeValueAsString(Map.of("name", name, "artist", "John Coltrane", "album", "Giant Steps"));
    }

    private HttpResponse<String> send(String method, String path, @Nullable String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
