package io.tributary.writer;

import static io.tributary.writer.TestEvents.delete;
import static io.tributary.writer.TestEvents.section;
import static io.tributary.writer.TestEvents.topic;
import static io.tributary.writer.TestEvents.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The status page in a real browser: Debian's headless Chromium (installed by .ci/run; this test fails
 * without it) loads {@code GET /} from the running writer, lets the page's script fetch {@code /status},
 * and the rendered DOM shows the counts; a screenshot is taken too ({@code target/status-page.png}). The
 * terminal command {@code bin/tributary-status} prints the same.
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class StatusPageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** The terminal status command, at the repository's root (tests run in the module's directory). */
    private static final Path STATUS_COMMAND = Path.of("..", "bin", "tributary-status");
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void thePageShowsTheCountsPerEntity(EmbeddedKafkaBroker broker) throws Exception {
        assertThat(CHROMIUM).as("headless Chromium (Debian package 'chromium'; .ci/run installs it)").isExecutable();
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ConfigurableApplicationContext app = WriterApplication.builder().run(
                // No poller answers there: the page and the command say so (a reachable one: MetricsScrapeIT).
                "--tributary.writer.status.poller-url=http://127.0.0.1:" + closedPort,
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0",
                "--tributary.writer.database.path=" + dir.resolve("tributary.db"),
                "--tributary.writer.consumer.fetch-max-wait=50ms")) {
            String url = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + "/";
            long now = System.currentTimeMillis();
            publish(broker, List.of(
                    user("u1", now - 3_000, "ann"),
                    user("u2", now - 2_000, "bob"),
                    section("s1", now - 5_000, "General"),
                    // References section s9, not synced yet: a placeholder.
                    topic("t1", now - 1_000, "s9", "u1", "Crypto"),
                    // A delete of a message never seen: a tombstone.
                    delete("messages", "m9", now - 500)));
            await("applied").atMost(BOUND).until(() -> get(url + "status").contains("\"messages\":{\"live\":0,"
                    + "\"placeholders\":0,\"deleted\":1"));

            String dom = chromium("--virtual-time-budget=3000", "--dump-dom", url);
            assertThat(dom).contains("<title>Tributary writer status</title>")
                    .contains("<td>users</td><td>2</td><td>0</td><td>0</td>")
                    .contains("<td>sections</td><td>1</td><td class=\"warn\">1</td><td>0</td>")
                    .contains("<td>topics</td><td>1</td><td>0</td><td>0</td>")
                    .contains("<td>messages</td><td>0</td><td>0</td><td>1</td><td>–</td>")
                    .contains("<td>tributary.changes.users</td><td class=\"ok\">0</td>")
                    .containsPattern("<td>users</td>(<td>[^<]*</td>){3}<td>[0-9.]+ s</td>")
                    .contains("id=\"dead\">0<", "id=\"total\">4<")
                    .contains("<div id=\"error\" style=\"display: none;\"></div>")
                    .contains("poller unreachable: ");

            // The same for terminals: bin/tributary-status (bash only) prints it as a table.
            String table = run(List.of("bash", STATUS_COMMAND.toString(), url));
            assertThat(table).containsPattern("users +2 +0 +0 +[0-9.]+ s")
                    .containsPattern("sections +1 +1 +0 ")
                    .containsPattern("messages +0 +0 +1 +-")
                    .contains("consumer lag 0   dead-lettered 0")
                    .containsPattern("tributary.changes.users +0")
                    .contains("sources: poller unreachable at http://127.0.0.1:" + closedPort);

            Path png = Path.of("target", "status-page.png").toAbsolutePath();
            Files.deleteIfExists(png);
            chromium("--virtual-time-budget=3000", "--screenshot=" + png, url);
            assertThat(png).exists();
            byte[] image = Files.readAllBytes(png);
            assertThat(image).startsWith(0x89, 'P', 'N', 'G');
            assertThat(image.length).as("a rendered page, not a blank one").isGreaterThan(10_000);
        }
    }

    /** Runs headless Chromium with a throw-away profile; returns its standard output. */
    private String chromium(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"),
                "--window-size=1000,700"));
        command.addAll(List.of(arguments));
        return run(command);
    }

    /** Runs a command to completion (at most 60 s), asserts exit code 0; returns its standard output. */
    private String run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "process", ".out");
        Path err = Files.createTempFile(dir, "process", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish in 60 s: " + Files.readString(err));
        }
        assertThat(process.exitValue()).as(command.get(0) + " exit code; stderr: " + Files.readString(err)).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static void publish(EmbeddedKafkaBroker broker, List<ChangeEvent> events) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (ChangeEvent event : events) {
                producer.send(new ProducerRecord<>(event.topic(), event.key().encode(), ChangeEventJson.write(event)));
            }
            producer.flush();
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
