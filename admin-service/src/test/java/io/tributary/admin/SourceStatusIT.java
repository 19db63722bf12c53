package io.tributary.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A source's live status through the admin API: the poller's figures for the caller's own source (records published
 * and rejected, the last rejected records' field paths), the writer's refusal of its definition and its dead letters,
 * "paused" and "not-running" from the stored state, 404 for another organization, the writer unreachable said in its
 * section, 503 naming the problem when the poller cannot be read. The poller and the writer are stubs serving a fixed
 * {@code GET /status} and {@code GET /status/sources}, the shapes of their own ({@code PollerStatus},
 * {@code SourcesStatus}); the end-to-end {@code LiveSourceStatusIT} runs the real ones.
 */
@EmbeddedKafka
class SourceStatusIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BOOTSTRAP = "bootstrap-token-for-the-status-it-0123456789";
    private static final String POLLER_STATUS = """
            {"at": "2026-11-22T12:00:00Z", "sources": [
              {"id": "forum-sim", "kind": "rest", "organization": "org-a",
               "errors": [{"at": "2026-11-22T11:59:00Z", "entity": "messages", "message": "HTTP 503"}],
               "rejections": [{"at": "2026-11-22T11:59:30Z", "entity": "messages", "fieldPath": "author.email",
                 "reason": "(from 'user.mail') expected string, got object"}],
               "entities": {"messages": {"cursor": {"since": "1795348325180"}, "lastPollAt": "2026-11-22T11:59:58Z",
                 "lastErrorAt": "2026-11-22T11:59:00Z", "recordsPublished": 1200, "pages": 12, "passes": 7, "failedPasses": 1,
                 "recordsRejected": 3, "lastRejectedAt": "2026-11-22T11:59:30Z"}}},
              {"id": "forum-two", "kind": "forum-rest", "errors": [],
               "entities": {"users": {"recordsPublished": 777, "pages": 1, "passes": 1, "failedPasses": 0}}}],
             "refused": [
              {"key": "org-a/forum-three", "organization": "org-a", "sourceId": "forum-three", "at": "2026-11-22T11:58:00Z",
               "reason": "source id 'forum-three' is configured in this poller's own configuration"},
              {"key": "org-b/forum-sim", "organization": "org-b", "sourceId": "forum-sim", "at": "2026-11-22T11:58:00Z",
               "reason": "source id 'forum-sim' already runs for another organization's definition"}]}
            """;
    private static final String WRITER_STATUS = """
            {"at": "2026-11-22T12:00:00Z", "startedAt": "2026-11-22T08:00:00Z",
             "refused": [
              {"key": "org-a/forum-sim", "organization": "org-a", "sourceId": "forum-sim", "entity": "messages",
               "reason": "column 'body' is text in the writer's catalog but integer in this definition", "since": "2026-11-22T11:00:00Z"},
              {"key": "org-b/forum-sim", "organization": "org-b", "sourceId": "forum-sim", "entity": null,
               "reason": "source id 'forum-sim' is already another definition's", "since": "2026-11-22T11:01:00Z"}],
             "sources": [
              {"id": "forum-sim", "organization": "org-a", "entities": {"messages": {"deadLettered": 4, "lastAt": "2026-11-22T11:58:00Z"}}},
              {"id": "forum-two", "organization": null, "entities": {"users": {"deadLettered": 888, "lastAt": "2026-11-22T11:58:00Z"}}}]}
            """;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theCallersSourceShowsThePollersFiguresAndNothingLeaksAcrossOrganizations(EmbeddedKafkaBroker broker)
            throws Exception {
        HttpServer poller = stub("/status", POLLER_STATUS);
        HttpServer writer = stub("/status/sources", WRITER_STATUS);
        try (ConfigurableApplicationContext app = AdminApplication.builder().run("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--tributary.admin.bootstrap-token=" + BOOTSTRAP,
                "--tributary.admin.poller.url=http://127.0.0.1:" + poller.getAddress().getPort(),
                "--tributary.admin.writer.url=http://127.0.0.1:" + writer.getAddress().getPort())) {
            String admin = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            String tokenA = JSON.readTree(call("POST", admin + "/organizations", BOOTSTRAP, "{\"id\":\"org-a\"}").body())
                    .get("token").asString();
            String tokenB = JSON.readTree(call("POST", admin + "/organizations", BOOTSTRAP, "{\"id\":\"org-b\"}").body())
                    .get("token").asString();
            String forum = Files.readString(Path.of("../examples/forum.yaml"));
            forum = forum.replace("TRIBUTARY_SECRET_GOOD_FORUM__", "TRIBUTARY_SECRET_ORG_A__");
            for (String id : new String[] {"forum-sim", "forum-two", "forum-three"}) {
                String own = forum.replace("organization: good-forum", "organization: org-a").replace("id: forum-sim", "id: " + id);
                assertThat(call("PUT", admin + "/organizations/org-a/sources/" + id, tokenA, own).statusCode()).isBetween(200, 201);
            }

            HttpResponse<String> running = call("GET", admin + "/organizations/org-a/sources/forum-sim/status", tokenA, null);
            assertThat(running.statusCode()).isEqualTo(200);
            JsonNode status = JSON.readTree(running.body());
            assertThat(status.get("state").asString()).isEqualTo("running");
            assertThat(status.at("/poller/entities/messages/recordsPublished").asLong()).isEqualTo(1200);
            assertThat(status.at("/poller/entities/messages/cursor/since").asString()).isEqualTo("1795348325180");
            assertThat(status.at("/poller/errors/0/message").asString()).isEqualTo("HTTP 503");
            // records the mapping refused: counted beside the published ones, the last ones with their field path
            assertThat(status.at("/poller/entities/messages/recordsRejected").asLong()).isEqualTo(3);
            assertThat(status.at("/poller/rejections/0/fieldPath").asString()).isEqualTo("author.email");
            // the writer's refusal of the definition (stored with 201, then refused by the writer) and its dead letters
            assertThat(status.at("/writer/reachable").asBoolean()).isTrue();
            assertThat(status.at("/writer/refused")).singleElement().satisfies(refusal -> {
                assertThat(refusal.get("entity").asString()).isEqualTo("messages");
                assertThat(refusal.get("reason").asString()).startsWith("column 'body' is text in the writer's catalog");
                assertThat(refusal.get("since").asString()).isEqualTo("2026-11-22T11:00:00Z");
            });
            assertThat(status.at("/writer/deadLettered/messages/deadLettered").asLong()).isEqualTo(4);
            assertThat(status.toString()).as("org-b's refusal of the same id is not org-a's").doesNotContain("already another");

            assertThat(status.path("refused").isObject()).as("org-b's refusal of the same id is not org-a's").isFalse();
            // the poller's statically configured forum-two is not org-a's forum-two: its figures are not shown
            JsonNode notOurs = JSON.readTree(call("GET", admin + "/organizations/org-a/sources/forum-two/status", tokenA, null).body());
            assertThat(notOurs.get("state").asString()).isEqualTo("not-running");
            assertThat(notOurs.toString()).doesNotContain("777").doesNotContain("888");
            JsonNode refused = JSON.readTree(call("GET", admin + "/organizations/org-a/sources/forum-three/status", tokenA, null).body());
            assertThat(refused.get("state").asString()).isEqualTo("refused");
            assertThat(refused.at("/refused/reason").asString()).contains("configured in this poller");
            assertThat(call("POST", admin + "/organizations/org-a/sources/forum-sim/pause", tokenA, null).statusCode())
                    .isEqualTo(200);
            assertThat(JSON.readTree(call("GET", admin + "/organizations/org-a/sources/forum-sim/status", tokenA, null)
                    .body()).get("state").asString()).isEqualTo("paused");

            HttpResponse<String> foreign = call("GET", admin + "/organizations/org-a/sources/forum-sim/status", tokenB, null);
            assertThat(foreign.statusCode()).isEqualTo(404);
            assertThat(foreign.body()).doesNotContain("1200");

            writer.stop(0);
            HttpResponse<String> writerDown = call("GET", admin + "/organizations/org-a/sources/forum-sim/status", tokenA, null);
            assertThat(writerDown.statusCode()).as("the poller's figures are still shown").isEqualTo(200);
            JsonNode withoutWriter = JSON.readTree(writerDown.body());
            assertThat(withoutWriter.at("/writer/reachable").asBoolean()).isFalse();
            assertThat(withoutWriter.at("/writer/error").asString()).contains("/status/sources", "could not be read");
            assertThat(withoutWriter.at("/poller/entities/messages/recordsPublished").asLong()).isEqualTo(1200);

            poller.stop(0);
            HttpResponse<String> unreachable = call("GET", admin + "/organizations/org-a/sources/forum-sim/status", tokenA,
                    null);
            assertThat(unreachable.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(unreachable.body()).get("type").asString())
                    .isEqualTo("urn:tributary:admin:poller-unreachable");
        } finally {
            poller.stop(0);
            writer.stop(0);
        }
    }

    /** A stub service answering {@code GET path} with {@code json}. */
    private static HttpServer stub(String path, String json) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            try (exchange) {
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return server;
    }

    private HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", body.startsWith("{") ? "application/json" : "application/yaml");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
