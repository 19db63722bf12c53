package io.tributary.poller.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.poller.PollerApplication;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decision 0031 at the poller, with values written straight to the config topic (as if by other means than the
 * admin API, which refuses them): a second organization's definition with an id another holds is refused while the
 * first goes on, and runs once the first is deleted; so is one naming an entity (a table) another organization's
 * definition holds; a definition cannot take a configured source's id; a definition
 * naming a host variable, or a file that leads out of its organization's directory through a symbolic link, is
 * refused before any request; each refusal is on {@code GET /status} and in the log, without a secret. The operator's
 * configured source keeps full access to the host's secrets.
 */
@EmbeddedKafka
@ExtendWith(OutputCaptureExtension.class)
class LiveSourcesIsolationIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOPIC = "tributary.config.sources";

    @TempDir
    Path dir;

    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anIdRunsOnceAndADefinitionReachesOnlyItsOrganizationsSecrets(EmbeddedKafkaBroker broker, CapturedOutput output)
            throws Exception {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Path hostToken = Files.writeString(dir.resolve("host-token"), "host-token-value");
        Files.createDirectories(secrets.resolve("org-e"));
        Files.createSymbolicLink(secrets.resolve("org-e/link"), hostToken);
        Files.createDirectories(secrets.resolve("org-f"));
        Path orgFToken = Files.writeString(secrets.resolve("org-f/token"), "org-f-token-value");
        String hostPath = System.getenv("PATH");
        assertThat(hostPath).as("the host variable the thief names").isNotBlank();

        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String expected = Map.of("/static", "Bearer host-token-value", "/f", "Bearer org-f-token-value").get(path);
                requests.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
                boolean allowed = expected == null || expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
                byte[] body = (allowed ? "[{\"id\": \"i-1\", \"name\": \"One\", \"updatedAt\": \"2026-11-22T08:00:00Z\"}]"
                        : "{}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        api.start();
        String base = "http://127.0.0.1:" + api.getAddress().getPort();
        // the operator's own file may name any secret of the host
        Path configured = Files.writeString(dir.resolve("configured.json"),
                JSON.writeValueAsString(definition("operator", "configured-music", base, "/static", "${file:" + hostToken + "}")));

        try (KafkaProducer<String, String> topic = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()), new StringSerializer(), new StringSerializer())) {
            put(topic, "org-a", "shared", base, "/a", null);
            put(topic, "org-b", "shared", base, "/b", null);
            put(topic, "org-c", "configured-music", base, "/c", null);
            put(topic, "org-d", "env-thief", base, "/d", "${env:PATH}");
            put(topic, "org-e", "link-thief", base, "/e", "${file:" + secrets + "/org-e/link}");
            put(topic, "org-f", "own-secret", base, "/f", "${file:" + orgFToken + "}");
            put(topic, "org-g", "g-items", base, "/g", null, "items_org_a"); // org-a's entity, org-a's table

            try (ConfigurableApplicationContext poller = PollerApplication.builder().run("--server.port=0",
                    "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                    "--tributary.poller.topics.partitions=1",
                    "--tributary.poller.sources[0].id=configured-music", "--tributary.poller.sources[0].kind=rest",
                    "--tributary.poller.sources[0].definition=" + configured,
                    "--tributary.poller.config-topic.enabled=true",
                    "--tributary.poller.config-topic.directory=" + dir.resolve("live"),
                    "--tributary.poller.config-topic.secrets-directory=" + secrets)) {
                String status = "http://127.0.0.1:" + poller.getEnvironment().getProperty("local.server.port") + "/status";
                await("the first holder of the id, the configured source and org-f's own secret are polled")
                        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> count("/a") > 2 && count("/static") > 2 && count("/f") > 2);
                await("every refusal is listed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> refused(status).size() == 5);

                Map<String, String> refused = refused(status);
                assertThat(refused).containsOnlyKeys("org-b/shared", "org-c/configured-music", "org-d/env-thief",
                        "org-e/link-thief", "org-g/g-items");
                assertThat(refused.get("org-g/g-items")).contains("entity 'items_org_a'").contains("another organization")
                        .doesNotContain("org-a");
                assertThat(refused.get("org-b/shared")).contains("another organization").doesNotContain("org-a");
                assertThat(refused.get("org-c/configured-music")).contains("this poller's own configuration");
                assertThat(refused.get("org-d/env-thief")).contains("$.auth.token").contains("TRIBUTARY_SECRET_ORG_D__<NAME>");
                assertThat(refused.get("org-e/link-thief")).contains("symbolic link");
                JsonNode sources = JSON.readTree(get(status)).get("sources");
                assertThat(organizationOf(sources, "shared")).isEqualTo("org-a");
                assertThat(organizationOf(sources, "configured-music")).as("a configured source has none").isEmpty();
                assertThat(poller.getBean(MeterRegistry.class).get("tributary.poller.live.refused").gauge().value())
                        .isEqualTo(5.0);
                await("nothing refused is ever called").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> count("/b") + count("/c") + count("/d") + count("/e") + count("/g") == 0);

                // the holder deleted: the waiting definition of the id runs, the first no longer
                topic.send(new ProducerRecord<>(TOPIC, "org-a/shared", null)).get();
                await("org-b's definition runs once the id is free, org-g's once the entity is")
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> count("/b") > 2 && count("/g") > 2);
                assertThat(refused(status)).doesNotContainKeys("org-b/shared", "org-g/g-items").hasSize(3);
                assertThat(organizationOf(JSON.readTree(get(status)).get("sources"), "shared")).isEqualTo("org-b");
                long a = count("/a");
                await("org-a's is stopped").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                        .until(() -> count("/a") <= a + 1);
            }
        } finally {
            api.stop(0);
        }
        assertThat(output.getAll()).contains("Live source org-b/shared: refused, source id 'shared' is already held by org-a/shared")
                .contains("Live source org-c/configured-music: refused")
                .contains("Live source org-g/g-items: refused, entity 'items_org_a' is already held by org-a/shared")
                .doesNotContain("host-token-value").doesNotContain("org-f-token-value").doesNotContain(hostPath);
    }

    /**
     * Two queues hold refused values: those waiting for their source id and those waiting for an entity. A key's
     * newer value waiting in one replaces its older value waiting in the other: the id let go applies nothing stale,
     * and the newest value runs once its entity is let go.
     */
    @Test
    void theNewestValueOfAKeyWinsWhateverItWaitsFor(EmbeddedKafkaBroker broker) throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", exchange -> {
            try (exchange) {
                requests.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicLong()).incrementAndGet();
                byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        api.start();
        String base = "http://127.0.0.1:" + api.getAddress().getPort();
        String newest = "tributary.config.newest";
        try (KafkaProducer<String, String> topic = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()), new StringSerializer(), new StringSerializer())) {
            put(topic, newest, "org-a", "shared", base, "/a", null, "items_org_a");
            put(topic, newest, "org-b", "shared", base, "/b-old", null, "items_org_b"); // waits for the id
            put(topic, newest, "org-c", "holder", base, "/c", null, "items_org_c");
            put(topic, newest, "org-b", "shared", base, "/b-new", null, "items_org_c"); // waits for the entity

            try (ConfigurableApplicationContext poller = PollerApplication.builder().run("--server.port=0",
                    "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                    "--tributary.poller.topics.partitions=1",
                    "--tributary.poller.config-topic.enabled=true",
                    "--tributary.poller.config-topic.topic=" + newest,
                    "--tributary.poller.config-topic.directory=" + dir.resolve("live"),
                    "--tributary.poller.config-topic.secrets-directory=" + Files.createDirectories(dir.resolve("secrets")))) {
                String status = "http://127.0.0.1:" + poller.getEnvironment().getProperty("local.server.port") + "/status";
                await("the holders run").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> count("/a") > 2 && count("/c") > 2);
                await("the newest value is refused for the entity").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> refused(status).getOrDefault("org-b/shared", "").contains("entity 'items_org_c'"));

                topic.send(new ProducerRecord<>(newest, "org-a/shared", null)).get();
                await("the id is let go").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !JSON.readTree(get(status)).get("sources").toString().contains("\"shared\""));
                assertThat(refused(status).get("org-b/shared")).as("still waiting for the entity")
                        .contains("entity 'items_org_c'");

                topic.send(new ProducerRecord<>(newest, "org-c/holder", null)).get();
                await("the newest value runs once the entity is let go").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200)).until(() -> count("/b-new") > 2);
                assertThat(count("/b-old")).as("the older value never ran").isZero();
                assertThat(refused(status)).isEmpty();
            }
        } finally {
            api.stop(0);
        }
    }

    private long count(String path) {
        AtomicLong counter = requests.get(path);
        return counter == null ? 0 : counter.get();
    }

    private static void put(KafkaProducer<String, String> topic, String organization, String id, String base, String path,
            String token) throws Exception {
        put(topic, organization, id, base, path, token, "items_" + organization.replace('-', '_'));
    }

    /** Each organization's definitions name their own entity unless {@code entity} says otherwise. */
    private static void put(KafkaProducer<String, String> topic, String organization, String id, String base, String path,
            String token, String entity) throws Exception {
        put(topic, TOPIC, organization, id, base, path, token, entity);
    }

    private static void put(KafkaProducer<String, String> topic, String name, String organization, String id,
            String base, String path, String token, String entity) throws Exception {
        Map<String, Object> value = Map.of("definition", definition(organization, id, base, path, token, entity),
                "state", Map.of("paused", false, "version", 1));
        topic.send(new ProducerRecord<>(name, organization + "/" + id, JSON.writeValueAsString(value))).get();
    }

    private static Map<String, Object> definition(String organization, String id, String base, String path, String token) {
        return definition(organization, id, base, path, token, "items_" + organization.replace('-', '_'));
    }

    private static Map<String, Object> definition(String organization, String id, String base, String path, String token,
            String entity) {
        Map<String, Object> definition = new java.util.LinkedHashMap<>(Map.of("organization", organization, "id", id,
                "kind", "rest", "baseUrl", base, "schedule", Map.of("interval", "200ms"),
                "entities", List.of(Map.of("name", entity, "endpoint", Map.of("path", path),
                        "pagination", Map.of("type", "none"), "records", Map.of("path", "$"),
                        "mapping", Map.of("key", "externalId", "version", Map.of("source", "updatedAt", "format", "iso-instant"),
                                "fields", Map.of("externalId", Map.of("type", "string", "source", "id", "required", true),
                                        "name", Map.of("type", "string", "source", "name")))))));
        if (token != null) {
            definition.put("auth", Map.of("type", "bearer", "token", token));
        }
        return definition;
    }

    private Map<String, String> refused(String status) throws Exception {
        Map<String, String> reasons = new java.util.TreeMap<>();
        JSON.readTree(get(status)).path("refused").forEach(entry -> reasons.put(entry.get("key").asString(),
                entry.get("reason").asString()));
        return reasons;
    }

    private static String organizationOf(JsonNode sources, String id) {
        for (JsonNode source : sources) {
            if (id.equals(source.path("id").asString())) {
                return source.path("organization").asString("");
            }
        }
        throw new AssertionError("no source " + id + " in " + sources);
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
