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
 * A source's live status through the admin API: the poller's figures for the caller's own source, "paused" and
 * "not-running" from the stored state, 404 for another organization, 503 naming the problem when the poller
 * cannot be read. The poller is a stub serving a fixed {@code GET /status}.
 */
@EmbeddedKafka
class SourceStatusIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BOOTSTRAP = "bootstrap-token-for-the-status-it-0123456789";
    private static final String POLLER_STATUS = """
            {"at": "2026-11-22T12:00:00Z", "sources": [
              {"id": "forum-sim", "kind": "rest", "organization": "org-a",
               "errors": [{"at": "2026-11-22T11:59:00Z", "entity": "messages", "message": "HTTP 503"}],
               "entities": {"messages": {"cursor": {"since": "1795348325180"}, "lastPollAt": "2026-11-22T11:59:58Z",
                 "lastErrorAt": "2026-11-22T11:59:00Z", "recordsPublished": 1200, "pages": 12, "passes": 7, "failedPasses": 1}}},
              {"id": "forum-two", "kind": "forum-rest", "errors": [],
               "entities": {"users": {"recordsPublished": 777, "pages": 1, "passes": 1, "failedPasses": 0}}}],
             "refused": [
              {"key": "org-a/forum-three", "organization": "org-a", "sourceId": "forum-three", "at": "2026-11-22T11:58:00Z",
               "reason": "source id 'forum-three' is configured in this poller's own configuration"},
              {"key": "org-b/forum-sim", "organization": "org-b", "sourceId": "forum-sim", "at": "2026-11-22T11:58:00Z",
               "reason": "source id 'forum-sim' already runs for another organization's definition"}]}
            """;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theCallersSourceShowsThePollersFiguresAndNothingLeaksAcrossOrganizations(EmbeddedKafkaBroker broker)
            throws Exception {
        HttpServer poller = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        poller.createContext("/status", exchange -> {
            try (exchange) {
                byte[] body = POLLER_STATUS.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        poller.start();
        try (ConfigurableApplicationContext app = AdminApplication.builder().run("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--tributary.admin.bootstrap-token=" + BOOTSTRAP,
                "--tributary.admin.poller.url=http://127.0.0.1:" + poller.getAddress().getPort())) {
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

            assertThat(status.path("refused").isObject()).as("org-b's refusal of the same id is not org-a's").isFalse();
            // the poller's statically configured forum-two is not org-a's forum-two: its figures are not shown
            JsonNode notOurs = JSON.readTree(call("GET", admin + "/organizations/org-a/sources/forum-two/status", tokenA, null).body());
            assertThat(notOurs.get("state").asString()).isEqualTo("not-running");
            assertThat(notOurs.toString()).doesNotContain("777");
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

            poller.stop(0);
            HttpResponse<String> unreachable = call("GET", admin + "/organizations/org-a/sources/forum-sim/status", tokenA,
                    null);
            assertThat(unreachable.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(unreachable.body()).get("type").asString())
                    .isEqualTo("urn:tributary:admin:poller-unreachable");
        } finally {
            poller.stop(0);
        }
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
