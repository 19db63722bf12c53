package io.tributary.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Readiness tells the truth: with the database fine but no broker at the configured address, the writer
 * starts, is alive, and is NOT ready ({@code 503}, {@code kafka} DOWN).
 */
class ReadinessIT {

    @TempDir
    Path dir;

    @Test
    void notReadyWhileKafkaDoesNotAnswer() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ConfigurableApplicationContext app = WriterApplication.builder().run(
                "--spring.kafka.bootstrap-servers=127.0.0.1:" + closedPort,
                "--server.port=0",
                "--tributary.writer.database.path=" + dir.resolve("tributary.db"),
                "--tributary.writer.topics.create=false",
                "--tributary.writer.health.kafka-timeout=500ms",
                "--spring.kafka.consumer.properties.reconnect.backoff.max.ms=1000")) {
            String port = app.getEnvironment().getProperty("local.server.port");

            await("readiness DOWN").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> readiness = get(port, "/actuator/health/readiness");
                assertThat(readiness.statusCode()).isEqualTo(503);
                assertThat(readiness.body()).contains("\"status\":\"DOWN\"", "\"kafka\":{\"status\":\"DOWN\"}",
                        "\"db\":{\"status\":\"UP\"}");
            });
            HttpResponse<String> liveness = get(port, "/actuator/health/liveness");
            assertThat(liveness.statusCode()).isEqualTo(200);
            assertThat(liveness.body()).contains("\"status\":\"UP\"");
            assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(503);
        }
    }

    private static HttpResponse<String> get(String port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
