package io.tributary.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Readiness tells the truth: the webhook receiver is ready when Kafka answers, and alive but NOT ready ({@code 503},
 * {@code kafka} DOWN) while no broker answers at the configured address.
 */
@EmbeddedKafka
class ReadinessIT {

    @Test
    void readyWhenKafkaAnswers(EmbeddedKafkaBroker broker) throws Exception {
        try (ConfigurableApplicationContext app = WebhookIngestApplication.builder().run(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0")) {
            String port = app.getEnvironment().getProperty("local.server.port");
            await("readiness UP").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> readiness = get(port, "/actuator/health/readiness");
                assertThat(readiness.statusCode()).isEqualTo(200);
                assertThat(readiness.body()).contains("\"status\":\"UP\"", "\"kafka\":{\"status\":\"UP\"}");
            });
        }
    }

    @Test
    void notReadyWhileKafkaDoesNotAnswer() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ConfigurableApplicationContext app = WebhookIngestApplication.builder().run(
                "--spring.kafka.bootstrap-servers=127.0.0.1:" + closedPort,
                "--server.port=0",
                "--spring.kafka.admin.auto-create=false",
                "--tributary.ingest.health.kafka-timeout=500ms")) {
            String port = app.getEnvironment().getProperty("local.server.port");

            await("readiness DOWN").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> readiness = get(port, "/actuator/health/readiness");
                assertThat(readiness.statusCode()).isEqualTo(503);
                assertThat(readiness.body()).contains("\"status\":\"DOWN\"", "\"kafka\":{\"status\":\"DOWN\"}");
            });
            HttpResponse<String> liveness = get(port, "/actuator/health/liveness");
            assertThat(liveness.statusCode()).isEqualTo(200);
            assertThat(liveness.body()).contains("\"status\":\"UP\"");
        }
    }

    private static HttpResponse<String> get(String port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
