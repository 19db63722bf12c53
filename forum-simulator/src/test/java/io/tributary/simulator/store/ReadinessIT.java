package io.tributary.simulator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.simulator.ForumSimulatorApplication;
import java.io.IOException;
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
 * Readiness tells the truth: the simulator is ready while its SQLite file answers, and alive but NOT
 * ready ({@code 503}, {@code db} DOWN) once its connections are gone.
 */
class ReadinessIT {

    @TempDir
    Path dir;

    @Test
    void readyOnlyWhileTheDatabaseAnswers() throws Exception {
        try (ConfigurableApplicationContext app = ForumSimulatorApplication.builder().properties(
                "server.port=0",
                "forum-simulator.database=" + dir.resolve("forum.db"),
                "forum-simulator.seed.users=3",
                "forum-simulator.seed.sections=1",
                "forum-simulator.seed.topics=2",
                "forum-simulator.seed.messages=4").run()) {
            String port = app.getEnvironment().getProperty("local.server.port");
            await("readiness UP").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> readiness = get(port, "/actuator/health/readiness");
                assertThat(readiness.statusCode()).isEqualTo(200);
                assertThat(readiness.body()).contains("\"db\":{\"status\":\"UP\"}");
            });

            app.getBean(SqliteDatabase.class).close();

            await("readiness DOWN").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> readiness = get(port, "/actuator/health/readiness");
                assertThat(readiness.statusCode()).isEqualTo(503);
                assertThat(readiness.body()).contains("\"status\":\"DOWN\"", "\"db\":{\"status\":\"DOWN\"}");
            });
            assertThat(get(port, "/actuator/health/liveness").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(String port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
