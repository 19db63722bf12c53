package io.tributary.ingest.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.ingest.WebhookIngestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decision 0031 at the webhook receiver, with values written straight to the config topic (as if by other means
 * than the admin API): one source id is received for one definition only — the first key read keeps it, a second
 * organization's is refused (its secret does not open the endpoint) until the first is deleted; a configured source's
 * id is never taken; a definition naming a host variable, or a file leading out of its organization's directory
 * through a symbolic link, is not received. Refusals are logged and counted; no secret is logged.
 */
@EmbeddedKafka
@ExtendWith(OutputCaptureExtension.class)
class LiveReceiversIsolationIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOPIC = "tributary.config.sources";
    /** A forum user, for the configured source (the forum's mapping). */
    private static final String USER = """
            {"type":"user.updated","timestamp":"2026-11-21T10:15:31.000Z","data":{"id":"u-1","name":"Zoë",
             "email":"z@example.org","created_at":"2026-11-21T10:15:30.000Z","updated_at":"2026-11-21T10:15:31.000Z"}}""";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anIdIsReceivedForOneDefinitionAndOnlyWithItsOrganizationsSecrets(EmbeddedKafkaBroker broker,
            CapturedOutput output) throws Exception {
        Path secrets = dir.resolve("secrets");
        String secretA = secret("organization a's key");
        String secretB = secret("organization b's key");
        String secretC = secret("organization c's key");
        String secretF = secret("organization f's key");
        String configuredSecret = secret("the operator's key");
        Path fileA = write(secrets.resolve("org-a/hook"), secretA);
        Path fileB = write(secrets.resolve("org-b/hook"), secretB);
        Path fileC = write(secrets.resolve("org-c/hook"), secretC);
        Path fileF = write(secrets.resolve("org-f/hook"), secretF);
        Path host = write(dir.resolve("host-secret"), configuredSecret);
        Files.createDirectories(secrets.resolve("org-e"));
        Files.createSymbolicLink(secrets.resolve("org-e/hook"), host);

        try (KafkaProducer<String, String> topic = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()), new StringSerializer(), new StringSerializer())) {
            put(topic, "org-a", "shared", "${file:" + fileA + "}");
            put(topic, "org-b", "shared", "${file:" + fileB + "}");
            put(topic, "org-c", "configured", "${file:" + fileC + "}");
            put(topic, "org-d", "env-thief", "${env:PATH}");
            put(topic, "org-e", "link-thief", "${file:" + secrets + "/org-e/hook}");
            put(topic, "org-f", "f-items", "${file:" + fileF + "}", "items_org_a"); // org-a's entity: org-a's table

            try (ConfigurableApplicationContext ingest = WebhookIngestApplication.builder().run("--server.port=0",
                    "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                    "--tributary.ingest.sources[0].id=configured",
                    "--tributary.ingest.sources[0].secrets[0]=" + configuredSecret,
                    "--tributary.ingest.config-topic.enabled=true",
                    "--tributary.ingest.config-topic.secrets-directory=" + secrets)) {
                String base = "http://127.0.0.1:" + ((WebServerApplicationContext) ingest).getWebServer().getPort() + "/webhooks/";
                MeterRegistry registry = ingest.getBean(MeterRegistry.class);
                await("the first holder's webhooks are received").atMost(Duration.ofSeconds(45))
                        .pollInterval(Duration.ofMillis(200)).until(() -> post(base + "shared", secretA) == 200);
                await("every refusal is counted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> registry.get("tributary.ingest.live.refused").gauge().value() == 5.0);

                assertThat(post(base + "shared", secretB)).as("the second organization's secret").isEqualTo(401);
                assertThat(post(base + "configured", configuredSecret, USER)).as("the configured source goes on").isEqualTo(200);
                assertThat(post(base + "configured", secretC)).isEqualTo(401);
                assertThat(post(base + "env-thief", secretA)).isEqualTo(404);
                assertThat(post(base + "link-thief", configuredSecret)).as("the host's secret through a link").isEqualTo(404);
                assertThat(post(base + "f-items", secretF)).as("another organization's entity").isEqualTo(404);

                // the holder deleted: the waiting definition of the id is received
                topic.send(new ProducerRecord<>(TOPIC, "org-a/shared", null)).get();
                await("org-b's definition is received once the id is free, org-f's once the entity is")
                        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> post(base + "shared", secretB) == 200 && post(base + "f-items", secretF) == 200);
                assertThat(post(base + "shared", secretA)).isEqualTo(401);
                assertThat(registry.get("tributary.ingest.live.refused").gauge().value()).isEqualTo(3.0);
            }
        }
        assertThat(output.getAll())
                .contains("Webhook source org-b/shared: refused, source id 'shared' is already received for org-a/shared")
                .contains("Webhook source org-c/configured: refused")
                .contains("Webhook source org-d/env-thief: definition refused").contains("TRIBUTARY_SECRET_ORG_D__<NAME>")
                .contains("Webhook source org-e/link-thief: cannot receive").contains("symbolic link")
                .contains("Webhook source org-f/f-items: refused, entity 'items_org_a' is already held by org-a/shared")
                .doesNotContain(configuredSecret.substring(6)).doesNotContain(secretA.substring(6))
                .doesNotContain(secretB.substring(6)).doesNotContain(System.getenv("PATH"));
    }

    /**
     * Two queues hold refused values: those waiting for their source id and those waiting for an entity. A key's
     * newer value waiting in one replaces its older value waiting in the other: the id let go receives nothing stale,
     * and the newest value is received once its entity is let go.
     */
    @Test
    void theNewestValueOfAKeyWinsWhateverItWaitsFor(EmbeddedKafkaBroker broker) throws Exception {
        Path secrets = dir.resolve("secrets");
        String secretA = secret("organization a's key");
        String oldB = secret("organization b's older key");
        String newB = secret("organization b's newer key");
        String secretC = secret("organization c's key");
        String newest = "tributary.config.newest";
        try (KafkaProducer<String, String> topic = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()), new StringSerializer(), new StringSerializer())) {
            put(topic, newest, "org-a", "shared", "${file:" + write(secrets.resolve("org-a/hook"), secretA) + "}",
                    "items_org_a");
            put(topic, newest, "org-b", "shared", "${file:" + write(secrets.resolve("org-b/old"), oldB) + "}",
                    "items_org_b"); // waits for the id
            put(topic, newest, "org-c", "holder", "${file:" + write(secrets.resolve("org-c/hook"), secretC) + "}",
                    "items_org_c");
            put(topic, newest, "org-b", "shared", "${file:" + write(secrets.resolve("org-b/new"), newB) + "}",
                    "items_org_c"); // waits for the entity

            try (ConfigurableApplicationContext ingest = WebhookIngestApplication.builder().run("--server.port=0",
                    "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                    "--tributary.ingest.config-topic.enabled=true",
                    "--tributary.ingest.config-topic.topic=" + newest,
                    "--tributary.ingest.config-topic.secrets-directory=" + secrets)) {
                String base = "http://127.0.0.1:" + ((WebServerApplicationContext) ingest).getWebServer().getPort() + "/webhooks/";
                MeterRegistry registry = ingest.getBean(MeterRegistry.class);
                await("the holders are received").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                        .until(() -> post(base + "shared", secretA) == 200 && post(base + "holder", secretC) == 200);
                await("the newest value is refused").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> registry.get("tributary.ingest.live.refused").gauge().value() == 1.0);

                topic.send(new ProducerRecord<>(newest, "org-a/shared", null)).get();
                await("the id is let go, the older value not received").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200)).until(() -> post(base + "shared", secretA) != 200);
                assertThat(post(base + "shared", oldB)).as("the older value").isEqualTo(404);

                topic.send(new ProducerRecord<>(newest, "org-c/holder", null)).get();
                await("the newest value is received once the entity is let go").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200)).until(() -> post(base + "shared", newB) == 200);
                assertThat(post(base + "shared", oldB)).isEqualTo(401);
                assertThat(registry.get("tributary.ingest.live.refused").gauge().value()).isZero();
            }
        }
    }

    private static String secret(String key) {
        return "whsec_" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static Path write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static void put(KafkaProducer<String, String> topic, String organization, String id, String secret)
            throws Exception {
        put(topic, organization, id, secret, "items_" + organization.replace('-', '_'));
    }

    /** Each organization's definitions name their own entity unless {@code entity} says otherwise. */
    private static void put(KafkaProducer<String, String> topic, String organization, String id, String secret,
            String entity) throws Exception {
        put(topic, TOPIC, organization, id, secret, entity);
    }

    private static void put(KafkaProducer<String, String> topic, String name, String organization, String id,
            String secret, String entity) throws Exception {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("organization", organization);
        definition.put("id", id);
        definition.put("kind", "rest");
        definition.put("baseUrl", "http://127.0.0.1:9");
        definition.put("webhooks", Map.of("inbound", Map.of("scheme", "standard-webhooks", "secrets", List.of(secret),
                "events", Map.of("item.", entity))));
        definition.put("entities", List.of(Map.of("name", entity, "endpoint", Map.of("path", "/items"),
                "mapping", Map.of("key", "externalId", "version", Map.of("source", "updatedAt", "format", "iso-instant"),
                        "fields", Map.of("externalId", Map.of("type", "string", "source", "id", "required", true),
                                "name", Map.of("type", "string", "source", "name"))))));
        topic.send(new ProducerRecord<>(name, organization + "/" + id, JSON.writeValueAsString(
                Map.of("definition", definition, "state", Map.of("paused", false))))).get();
    }

    /** A full {@code item.created} (the definitions' entity) signed with {@code secret}; the answer's status. */
    private int post(String url, String secret) throws Exception {
        return post(url, secret, "{\"type\": \"item.created\", \"timestamp\": \"2026-11-22T09:00:00Z\", \"data\": "
                + "{\"id\": \"i-1\", \"name\": \"One\", \"updatedAt\": \"2026-11-22T09:00:00Z\"}}");
    }

    private int post(String url, String secret, String body) throws Exception {
        String id = "msg_" + UUID.randomUUID();
        long timestamp = Instant.now().getEpochSecond();
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", new Webhook(secret).sign(id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
