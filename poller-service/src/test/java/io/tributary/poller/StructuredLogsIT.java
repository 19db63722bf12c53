package io.tributary.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.simulator.ForumSimulatorApplication;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * {@code logging.structured.format.console=ecs} (Boot's own console set-up, as deployed: this module has
 * no logback-test.xml) makes each console line a JSON object, and a pass's line carries the MDC keys
 * {@code source} and {@code entity}.
 */
@EmbeddedKafka
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void aPassLogsJsonWithItsSourceAndEntity(EmbeddedKafkaBroker broker, CapturedOutput output) throws Exception {
        // Logback is set up once per JVM, by the first application to start: the poller, then the simulator
        // on a port chosen beforehand (the poller's first passes fail until it answers, and are retried).
        int simulatorPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            simulatorPort = socket.getLocalPort();
        }
        try (ConfigurableApplicationContext poller = PollerApplication.builder().run(
                        "--server.port=0",
                        "--logging.structured.format.console=ecs",
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--tributary.poller.sources[0].id=forum-sim",
                        "--tributary.poller.sources[0].kind=forum-rest",
                        "--tributary.poller.sources[0].entities=users",
                        "--tributary.poller.sources[0].poll-interval=200ms",
                        "--tributary.poller.sources[0].retry.max-attempts=1",
                        "--tributary.poller.sources[0].base-url=http://127.0.0.1:" + simulatorPort);
                ConfigurableApplicationContext simulator = ForumSimulatorApplication.builder().properties(
                        "server.port=" + simulatorPort,
                        "forum-simulator.database=" + dir.resolve("forum.db"),
                        "forum-simulator.seed.users=5",
                        "forum-simulator.seed.sections=1",
                        "forum-simulator.seed.topics=2",
                        "forum-simulator.seed.messages=4").run()) {
            JsonNode line = await("the pass's log line").atMost(Duration.ofSeconds(30))
                    .until(() -> find(output, "Pass of forum-sim/users published 5 records"), found -> found != null);
            assertThat(line.get("log").get("level").stringValue()).isEqualTo("INFO");
            assertThat(line.get("source").stringValue()).isEqualTo("forum-sim");
            assertThat(line.get("entity").stringValue()).isEqualTo("users");
        }
    }

    /** The JSON object of the first console line whose message contains {@code text}. */
    private static JsonNode find(CapturedOutput output, String text) {
        List<String> lines = output.getOut().lines().filter(l -> l.contains(text)).toList();
        if (lines.isEmpty()) {
            return null;
        }
        JsonNode node = JSON.readTree(lines.get(0));
        assertThat(node.get("message").stringValue()).contains(text);
        return node;
    }
}
