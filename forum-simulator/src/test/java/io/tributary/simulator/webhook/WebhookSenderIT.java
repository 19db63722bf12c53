package io.tributary.simulator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumChange;
import io.tributary.simulator.content.ForumMutator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulator's webhooks against a plain JDK HTTP receiver; every signature is verified with the
 * Standard Webhooks reference library. The receiver answers 500 to every first attempt of an id, so
 * each event arrives only thanks to a retry.
 */
class WebhookSenderIT {

    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "simulator-test-key-0123456789abcd".getBytes(StandardCharsets.UTF_8));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    private HttpServer receiver;
    private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values));
            try {
                new Webhook(SECRET).verify(body, headers);
            } catch (Exception e) {
                badSignatures.add(e.getMessage());
            }
            String id = headers.get("webhook-id").get(0);
            int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            int status = attempt == 1 ? 500 : 200;
            if (status == 200) {
                JsonNode event = JSON.readTree(body);
                accepted.add(JSON.createObjectNode().put("id", id).set("event", event));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void everyChangeIsSignedRetriedAndDeliveredThinOrFullWithDuplicates() {
        try (ConfigurableApplicationContext simulator = ForumSimulatorApplication.builder().run(
                "--server.port=0", "--forum-simulator.database=" + dir.resolve("forum.db"),
                "--forum-simulator.seed.users=20", "--forum-simulator.seed.sections=2",
                "--forum-simulator.seed.topics=10", "--forum-simulator.seed.messages=40",
                "--forum-simulator.webhooks.url=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks",
                "--forum-simulator.webhooks.secret=" + SECRET,
                "--forum-simulator.webhooks.thin-probability=0.5",
                "--forum-simulator.webhooks.duplicate-probability=1",
                "--forum-simulator.webhooks.max-delay=100ms",
                "--forum-simulator.webhooks.retry-backoff=10ms")) {
            ForumMutator mutator = simulator.getBean(ForumMutator.class);
            List<ForumChange> changes = new ArrayList<>();
            changes.addAll(mutator.create("messages", 10));
            changes.addAll(mutator.update("users", 10));
            changes.addAll(mutator.delete("topics", 2));

            await("every change delivered twice").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> accepted.size() >= 2 * changes.size());
            assertThat(badSignatures).isEmpty();
            Map<String, List<JsonNode>> byId = accepted.stream()
                    .collect(Collectors.groupingBy(node -> node.get("id").stringValue()));
            assertThat(byId).hasSize(changes.size()).allSatisfy((id, copies) -> {
                assertThat(copies).hasSize(2);
                assertThat(copies.get(0).get("event")).isEqualTo(copies.get(1).get("event"));
            });
            Set<String> types = accepted.stream().map(n -> n.get("event").get("type").stringValue()).collect(Collectors.toSet());
            assertThat(types).containsExactlyInAnyOrder("message.created", "user.updated", "topic.deleted");
            List<JsonNode> events = accepted.stream().map(n -> n.get("event")).toList();
            assertThat(events).anyMatch(e -> e.get("data").size() == 1 && !e.get("type").stringValue().endsWith("deleted"));
            assertThat(events).anyMatch(e -> e.get("data").size() > 1 && e.get("data").has("updated_at"));
            assertThat(events).filteredOn(e -> e.get("type").stringValue().endsWith("deleted"))
                    .allMatch(e -> e.get("data").size() == 1);
            ForumChange created = changes.get(0);
            assertThat(events).anyMatch(e -> e.get("data").get("id").stringValue().equals(created.id())
                    && e.get("timestamp").stringValue().equals(created.record().get("updated_at")));
        }
    }
}
