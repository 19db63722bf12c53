package io.tributary.simulator.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.simulator.ForumSimulatorApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Failure modes of /api/**; admin and actuator endpoints never fail. */
class FaultsIT {

    static ConfigurableApplicationContext start(Path dir, String... faults) {
        return ForumSimulatorApplication.builder()
                .properties("server.port=0", "forum-simulator.database=" + dir.resolve("forum.db"),
                        "forum-simulator.seed.users=20", "forum-simulator.seed.sections=2",
                        "forum-simulator.seed.topics=10", "forum-simulator.seed.messages=30",
                        "forum-simulator.seed.anchor=2026-01-01T00:00:00Z")
                .properties(faults).run();
    }

    static WebTestClient client(ConfigurableApplicationContext app) {
        return WebTestClient.bindToServer().responseTimeout(Duration.ofSeconds(10))
                .baseUrl("http://localhost:" + app.getEnvironment().getProperty("local.server.port")).build();
    }

    static double faults(ConfigurableApplicationContext app, String kind) {
        return app.getBean(MeterRegistry.class).get("tributary.simulator.faults").tag("kind", kind).counter().count();
    }

    @Test
    void errorRateOneAnswersEveryApiRequestWith5xx(@TempDir Path dir) {
        try (ConfigurableApplicationContext app = start(dir, "forum-simulator.faults.error-rate=1")) {
            WebTestClient http = client(app);
            for (int i = 0; i < 12; i++) {
                http.get().uri("/api/users").exchange().expectStatus().is5xxServerError()
                        .expectBody().jsonPath("$.error").isEqualTo("injected_failure");
            }
            assertThat(faults(app, "error")).isEqualTo(12);
            http.get().uri("/admin/stats").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.users").isEqualTo(20)
                    .jsonPath("$.max_updated_at").value(v -> assertThat((String) v).startsWith("2025-12-31"));
            http.get().uri("/actuator/health").exchange().expectStatus().isOk();
        }
    }

    @Test
    void overTheRateLimitAnswers429WithRetryAfterAndSlowAnswersAreDelayed(@TempDir Path dir) {
        try (ConfigurableApplicationContext app = start(dir, "forum-simulator.faults.rate-limit-per-second=2",
                "forum-simulator.faults.slow-rate=1", "forum-simulator.faults.slow-delay=300ms")) {
            WebTestClient http = client(app);
            List<EntityExchangeResult<byte[]>> results = Flux.range(0, 10)
                    .flatMap(i -> Mono.fromCallable(() -> http.get().uri("/api/topics").exchange()
                            .expectBody().returnResult()).subscribeOn(Schedulers.boundedElastic()), 10)
                    .collectList().block(Duration.ofSeconds(20));
            assertThat(results).hasSize(10);
            List<EntityExchangeResult<byte[]>> limited = results.stream()
                    .filter(r -> r.getStatus().value() == 429).toList();
            // at most 2 per wall-clock second pass; 10 requests span at most two seconds
            assertThat(limited).hasSizeGreaterThanOrEqualTo(6).allSatisfy(r ->
                    assertThat(Integer.parseInt(r.getResponseHeaders().getFirst("Retry-After"))).isGreaterThanOrEqualTo(1));
            assertThat(results).filteredOn(r -> r.getStatus().value() == 200).isNotEmpty();
            assertThat(faults(app, "rate_limited")).isEqualTo(limited.size());
            assertThat(faults(app, "slow")).isEqualTo(10 - limited.size());
            IntStream.range(0, 5).forEach(i ->
                    http.post().uri("/admin/mutations?creates=1").exchange().expectStatus().isOk());
        }
    }

    @Test
    void aSlowAnswerTakesTheConfiguredDelay(@TempDir Path dir) {
        try (ConfigurableApplicationContext app = start(dir, "forum-simulator.faults.slow-rate=1",
                "forum-simulator.faults.slow-delay=400ms")) {
            WebTestClient http = client(app);
            long t0 = System.nanoTime();
            HttpStatusCode status = http.get().uri("/api/sections").exchange().returnResult(byte[].class).getStatus();
            assertThat(status.value()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void anInvalidFaultSettingFailsTheStartNamingTheProperty(@TempDir Path dir) {
        assertThatThrownBy(() -> start(dir, "forum-simulator.faults.error-rate=1.5"))
                .hasStackTraceContaining("forum-simulator.faults");
    }
}
