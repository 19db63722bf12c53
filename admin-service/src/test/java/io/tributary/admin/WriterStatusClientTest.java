package io.tributary.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer's {@code GET /status/sources} through a stub: only the organization's entries; never a failure. */
class WriterStatusClientTest {

    private static final String STATUS = """
            {"at": "2026-12-07T10:00:00Z", "startedAt": "2026-12-07T09:00:00Z",
             "refused": [
              {"key": "org-a/shop", "organization": "org-a", "sourceId": "shop", "entity": "items",
               "reason": "column 'year' is integer in the writer's catalog but text in this definition", "since": "2026-12-07T09:30:00Z"},
              {"key": "org-a/other", "organization": "org-a", "sourceId": "other", "entity": null,
               "reason": "definition refused: [...]", "since": "2026-12-07T09:31:00Z"},
              {"key": "org-b/shop", "organization": "org-b", "sourceId": "shop", "entity": null,
               "reason": "source id 'shop' is already another definition's", "since": "2026-12-07T09:32:00Z"}],
             "sources": [
              {"id": "forum-sim", "organization": null, "entities": {"sections": {"deadLettered": 9, "lastAt": "2026-12-07T09:40:00Z"}}},
              {"id": "shop", "organization": "org-a", "entities": {"items": {"deadLettered": 2, "lastAt": "2026-12-07T09:50:00Z"}}}]}
            """;

    private final AtomicReference<String> body = new AtomicReference<>(STATUS);
    private final AtomicReference<Integer> code = new AtomicReference<>(200);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean hang;
    private final HttpServer writer = server();

    @AfterEach
    void stop() {
        released.countDown();
        writer.stop(0);
    }

    @Test
    void theOrganizationsRefusalsAndDeadLettersOfTheSourceOnly() {
        WriterStatusClient.WriterView view = client(Duration.ofSeconds(5)).source("org-a", "shop");

        assertThat(view.reachable()).isTrue();
        assertThat(view.error()).isNull();
        assertThat(view.startedAt()).isEqualTo("2026-12-07T09:00:00Z");
        assertThat(view.refused()).singleElement().satisfies(refusal -> {
            assertThat(refusal.get("entity").asString()).isEqualTo("items");
            assertThat(refusal.get("reason").asString()).startsWith("column 'year' is integer");
        });
        assertThat(view.deadLettered().at("/items/deadLettered").asLong()).isEqualTo(2);

        WriterStatusClient.WriterView otherOrganization = client(Duration.ofSeconds(5)).source("org-b", "shop");
        assertThat(otherOrganization.refused()).extracting(r -> r.get("reason").asString())
                .containsExactly("source id 'shop' is already another definition's");
        assertThat(otherOrganization.deadLettered()).as("org-a's source holds the id").isNull();
        WriterStatusClient.WriterView configured = client(Duration.ofSeconds(5)).source("org-a", "forum-sim");
        assertThat(configured.deadLettered()).as("a source of no live definition is no organization's").isNull();
        assertThat(configured.refused()).isEmpty();
    }

    @Test
    void aWriterThatCannotBeReadIsSaidSoWithTheReason() {
        assertThat(new WriterStatusClient(new WriterStatusProperties(null, Duration.ofSeconds(1))).source("org-a", "shop"))
                .satisfies(view -> {
                    assertThat(view.reachable()).isFalse();
                    assertThat(view.error()).contains("not configured", "tributary.admin.writer.url");
                });
        code.set(500);
        assertThat(client(Duration.ofSeconds(5)).source("org-a", "shop").error()).endsWith("it answered 500");
        code.set(200);
        body.set("<html>");
        assertThat(client(Duration.ofSeconds(5)).source("org-a", "shop").error()).endsWith("its answer is not JSON");
        hang = true;
        WriterStatusClient.WriterView slow = client(Duration.ofMillis(300)).source("org-a", "shop");
        assertThat(slow.reachable()).isFalse();
        assertThat(slow.error()).contains("/status/sources").endsWith("no answer within PT0.3S");
        released.countDown();
        writer.stop(0);
        assertThat(client(Duration.ofSeconds(5)).source("org-a", "shop").error()).contains("ConnectException");
    }

    private WriterStatusClient client(Duration timeout) {
        return new WriterStatusClient(new WriterStatusProperties(
                URI.create("http://127.0.0.1:" + writer.getAddress().getPort()), timeout));
    }

    private HttpServer server() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/status/sources", exchange -> {
                try (exchange) {
                    if (hang) {
                        released.await(30, TimeUnit.SECONDS); // answers only once the test is done with it
                    }
                    byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(code.get(), bytes.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
