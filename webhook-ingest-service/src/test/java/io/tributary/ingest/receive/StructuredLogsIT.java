package io.tributary.ingest.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.ingest.WebhookIngestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code logging.structured.format.console=logstash} turns the console into one JSON object per line, and
 * a webhook's lines carry the MDC keys {@code source}, {@code entity} and {@code eventId}; no secret is
 * ever printed.
 */
@EmbeddedKafka
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsIT {

    private static final String SECRET = "gh-secret-never-logged";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String USER = """
            {"type":"user.updated","timestamp":"2026-11-21T10:15:31.000Z","data":{"id":"u-json","name":"Zoë",
             "email":"z@example.org","created_at":"2026-11-21T10:15:30.000Z","updated_at":"2026-11-21T10:15:31.000Z"}}""";

    @Test
    void jsonLinesCarryTheWebhooksMdcKeys(EmbeddedKafkaBroker broker, CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = WebhookIngestApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                // This module's logback-test.xml replaces Boot's console set-up; use the one a deployment gets.
                "--logging.config=classpath:logback-structured.xml",
                "--logging.structured.format.console=logstash",
                "--tributary.ingest.log-every=1",
                "--tributary.ingest.sources[0].id=gh",
                "--tributary.ingest.sources[0].scheme=github",
                "--tributary.ingest.sources[0].secrets[0]=" + SECRET)) {
            String port = app.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/gh"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .header("X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(hmac(SECRET, USER)))
                    .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(USER, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);

            JsonNode line = await("the accepted webhook's log line").atMost(Duration.ofSeconds(10))
                    .until(() -> find(output, "Accepted 1 webhooks"), found -> found != null);
            assertThat(line.get("level").stringValue()).isEqualTo("INFO");
            assertThat(line.get("source").stringValue()).isEqualTo("gh");
            assertThat(line.get("entity").stringValue()).isEqualTo("users");
            assertThat(line.get("eventId").stringValue()).isNotBlank();
            assertThat(output.getOut()).doesNotContain(SECRET);
        }
    }

    /** The JSON object of the first console line whose message contains {@code text}; every line must be JSON. */
    private static JsonNode find(CapturedOutput output, String text) {
        List<String> lines = output.getOut().lines().filter(l -> l.contains(text)).toList();
        if (lines.isEmpty()) {
            return null;
        }
        JsonNode node = JSON.readTree(lines.get(0));
        assertThat(node.isObject()).as(lines.get(0)).isTrue();
        assertThat(node.get("message").stringValue()).contains(text);
        return node;
    }

    private static byte[] hmac(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }
}
