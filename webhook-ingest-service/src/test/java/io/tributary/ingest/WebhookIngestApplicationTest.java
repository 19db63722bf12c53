package io.tributary.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Starts without a broker and is alive. (Not ready: readiness waits for Kafka; see {@code ReadinessIT}.)
 */
class WebhookIngestApplicationTest {

    @Test
    void startsAndReportsLivenessUp() {
        try (ConfigurableApplicationContext context = WebhookIngestApplication.builder().run("--server.port=0",
                "--spring.kafka.admin.auto-create=false")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            String body = WebClient.create("http://127.0.0.1:" + port).get().uri("/actuator/health/liveness")
                    .retrieve().bodyToMono(String.class).block();
            assertThat(body).contains("\"status\":\"UP\"");
        }
    }
}
