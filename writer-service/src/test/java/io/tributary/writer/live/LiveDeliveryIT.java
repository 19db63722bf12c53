package io.tributary.writer.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.outbound.LocalOperation;
import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.writer.WriterApplication;
import io.tributary.writer.outbound.ApplicationRows;
import io.tributary.writer.outbound.StandInCapture;
import io.tributary.writer.sources.SourceActivity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.json.JsonMapper;

/**
 * A two-way definition on the config topic is delivered with no writer configuration (decision 0029): the writer
 * (SQLite, config topic followed, no {@code tributary.writer.entities} nor {@code outbound.sources}) makes the
 * table two-way (nullable external id, capture triggers) and delivers the local changes the test publishes as the
 * poller's capture would, to the simulator's music API; paused, changes wait and arrive after the resume; a version
 * whose secret cannot be resolved is refused while the running one delivers on; deleted, nothing more is delivered
 * and nothing is dead-lettered. A definition's credentials are its organization's secrets only (decision 0031).
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
@ExtendWith(OutputCaptureExtension.class)
class LiveDeliveryIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final String SOURCE = "music-faker";
    private static final String HOOKS = "music-hooks";
    private static final String SCOPED = "scoped_items";
    /** The second test's own config topic: the broker is the class's, the definitions are not shared. */
    private static final String SCOPED_TOPIC = "tributary.config.sources.scoped";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    /** The test's two-way table, as the application sees it. */
    private ApplicationRows application;
    private String music;

    @Test
    void aTwoWayDefinitionIsDeliveredPausedResumedAndStopped(EmbeddedKafkaBroker broker, CapturedOutput output)
            throws Exception {
        String bootstrap = broker.getBrokersAsString();
        application = ApplicationRows.of(dir.resolve("main.db"), "music_items");
        try (ConfigurableApplicationContext simulator = ForumSimulatorApplication.builder().run("--server.port=0",
                "--forum-simulator.database=" + dir.resolve("simulator.db"), "--forum-simulator.seed.users=1",
                "--forum-simulator.seed.sections=1", "--forum-simulator.seed.topics=1", "--forum-simulator.seed.messages=1");
             ConfigTopic config = new ConfigTopic(bootstrap);
             StandInCapture capture = new StandInCapture(bootstrap)) {
            music = "http://127.0.0.1:" + simulator.getEnvironment().getProperty("local.server.port");
            // the organization's own secrets (decision 0031): files under <secrets>/acme/, variables TRIBUTARY_SECRET_ACME__*
            Path token = Files.writeString(Files.createDirectories(secrets().resolve("acme")).resolve("token"),
                    "music-token");
            String definition = Files.readString(Path.of("..", "examples", "music-inventory.yaml"))
                    .replace("http://localhost:5000", music)
                    .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN}", "${file:" + token + "}")
                    .replace("TRIBUTARY_SECRET_ACME_RECORDS__", "TRIBUTARY_SECRET_ACME__")
                    .replace("schedule: {interval: 1m}", "schedule: {interval: 1m}\n"
                            + "retry: {maxAttempts: 3, initialBackoff: 20ms, maxBackoff: 100ms}")
                    .replace("organization: acme-records", "organization: acme");
            config.put(SOURCE, definition, false);
            try (ConfigurableApplicationContext writer = WriterApplication.builder().run(
                    "--spring.kafka.bootstrap-servers=" + bootstrap, "--server.port=0",
                    "--tributary.writer.database.path=" + dir.resolve("main.db"),
                    "--tributary.writer.config-topic.enabled=true", "--tributary.writer.config-topic.retry=200ms",
                    "--tributary.writer.config-topic.secrets-directory=" + secrets(),
                    "--tributary.writer.outbound.redelivery.initial-interval=100ms",
                    "--tributary.writer.outbound.redelivery.max-interval=500ms")) {
                await("the definition's table is two-way: its capture triggers exist").atMost(PATIENCE)
                        .until(() -> count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"
                                + " AND name LIKE 'tributary_capture_music_items_%'") == 3);

                long first = insertRow("Giant Steps");
                create(capture, first, "Giant Steps");
                await("a local create reaches the source").atMost(PATIENCE)
                        .until(() -> application.externalId(first) != null);
                assertThat(item(application.externalId(first))).contains("Giant Steps");

                // more attempts per call: a change may take longer than the consumer's poll interval was derived for
                // (2 calls × (3 × 30 s + 2 × 0.1 s)); a new consumer is built for the new worst case (decision 0025)
                config.put(SOURCE, definition.replace("maxAttempts: 3,", "maxAttempts: 5,"), false);
                await("the consumer is built again for the longer changes").atMost(PATIENCE).until(() -> output.getOut()
                        .contains("Outbound consumer: one change takes at most PT5M0.8S"));
                assertThat(output.getOut()).contains("a change may now take up to PT5M0.8S (was PT3M0.4S)")
                        .contains("max.poll.interval.ms 361300"); // 300.8 s + redelivery.max-interval 0.5 s + 1 min
                long longer = insertRow("Syeeda's Song Flute");
                create(capture, longer, "Syeeda's Song Flute");
                await("the new consumer delivers").atMost(PATIENCE).until(() -> application.externalId(longer) != null);

                config.put(SOURCE, definition, true);
                await("the pause is taken").atMost(PATIENCE).until(() -> output.getOut()
                        .contains("Definition acme/" + SOURCE + ": local changes of [music_items] wait (paused)"));
                long second = insertRow("Naima");
                create(capture, second, "Naima");
                await("a paused source is sent nothing").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                        .until(() -> application.externalId(second) == null);
                config.put(SOURCE, definition, false);
                await("resumed, the change that waited arrives").atMost(PATIENCE)
                        .until(() -> application.externalId(second) != null);

                config.put(SOURCE, definition.replace("${file:" + token + "}", "${file:" + token.resolveSibling("missing") + "}"),
                        false);
                await("a version whose secret cannot be resolved is refused, naming the reference").atMost(PATIENCE)
                        .until(() -> output.getOut().contains("Definition acme/" + SOURCE
                                + ": its local changes cannot be delivered"));
                assertThat(output.getOut()).doesNotContain("music-token");
                long third = insertRow("Countdown");
                create(capture, third, "Countdown");
                await("the running version delivers on").atMost(PATIENCE)
                        .until(() -> application.externalId(third) != null);

                String refusal = "Definition acme/" + SOURCE + ": its local changes cannot be delivered";
                config.put(SOURCE, definition.replace("${file:" + token + "}", "${file:" + token.resolveSibling("missing") + "}"),
                        true);
                await("the refused version, now paused, is refused again").atMost(PATIENCE)
                        .until(() -> output.getOut().split(java.util.regex.Pattern.quote(refusal), -1).length > 2);
                long whilePaused = insertRow("Impressions");
                create(capture, whilePaused, "Impressions");
                await("the pause applies to the version that runs: it is sent nothing").during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(10)).until(() -> application.externalId(whilePaused) == null);

                config.delete(SOURCE);
                await("the delete is taken").atMost(PATIENCE).until(() -> output.getOut()
                        .contains("Definition acme/" + SOURCE + ": deleted"));
                long fourth = insertRow("Mr. P.C.");
                create(capture, fourth, "Mr. P.C.");
                await("a deleted source is sent nothing").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                        .until(() -> application.externalId(fourth) == null);
                assertThat(writer.getBean(MeterRegistry.class).find("tributary.outbound.delivered")
                        .tag("outcome", "dead-lettered").counters()).as("its changes wait on the topic").isEmpty();
            }
        }
    }

    /**
     * A live definition is delivered with its organization's secrets only (decision 0031): versions whose outbound
     * webhook secret names a host variable, whose outbound auth names a file outside the organization's directory, or
     * whose secret file is a link from that directory to a host file are refused, naming the reference and the rule,
     * and nothing is sent (the change waits on its topic); the version whose secret is a file under
     * {@code <secrets>/acme/} delivers the change that waited. No secret value reaches the log.
     */
    @Test
    void aLiveDefinitionIsDeliveredWithItsOrganizationsSecretsOnly(EmbeddedKafkaBroker broker, CapturedOutput output)
            throws Exception {
        String bootstrap = broker.getBrokersAsString();
        application = ApplicationRows.of(dir.resolve("main.db"), SCOPED);
        String receiverSecret = "whsec_" + Base64.getEncoder().encodeToString(
                "the receiver's key".getBytes(StandardCharsets.UTF_8));
        String hostSecret = "whsec_" + Base64.getEncoder().encodeToString(
                "the host's own key".getBytes(StandardCharsets.UTF_8));
        Path own = Files.createDirectories(secrets().resolve("acme"));
        Path token = Files.writeString(own.resolve("token"), "music-token");
        Path ownSecret = Files.writeString(own.resolve("output-webhook-secret"), receiverSecret);
        Path hostFile = Files.writeString(dir.resolve("host-secret"), hostSecret);
        Path link = Files.createSymbolicLink(own.resolve("host-link"), hostFile);
        String hostPath = System.getenv("PATH");
        try (ConfigurableApplicationContext simulator = ForumSimulatorApplication.builder().run("--server.port=0",
                "--forum-simulator.music.webhook-secret=" + receiverSecret,
                "--forum-simulator.database=" + dir.resolve("simulator.db"), "--forum-simulator.seed.users=1",
                "--forum-simulator.seed.sections=1", "--forum-simulator.seed.topics=1", "--forum-simulator.seed.messages=1");
             ConfigTopic config = new ConfigTopic(bootstrap, SCOPED_TOPIC);
             StandInCapture capture = new StandInCapture(bootstrap)) {
            music = "http://127.0.0.1:" + simulator.getEnvironment().getProperty("local.server.port");
            // delivered by signed webhooks to the simulator's receiver; an entity (and so a table and outbound topic)
            // of its own, so that nothing else consumes its changes while it is refused
            String definition = Files.readString(Path.of("..", "examples", "music-inventory-webhooks.yaml"))
                    .replace("http://localhost:5000", music)
                    .replace("organization: acme-records", "organization: acme")
                    .replace("id: music-faker-hooks", "id: " + HOOKS)
                    .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN}", "${file:" + token + "}")
                    .replace("TRIBUTARY_SECRET_ACME_RECORDS__", "TRIBUTARY_SECRET_ACME__")
                    .replace("music_items", SCOPED)
                    .replace("schedule: {interval: 1m}", "schedule: {interval: 1m}\n"
                            + "retry: {maxAttempts: 3, initialBackoff: 20ms, maxBackoff: 100ms}");
            String outputSecret = "${env:TRIBUTARY_SECRET_ACME__MUSIC_OUTPUT_WEBHOOK_SECRET}";
            assertThat(definition).contains(outputSecret);
            config.put(HOOKS, definition.replace(outputSecret, "${env:PATH}"), false);
            try (ConfigurableApplicationContext writer = WriterApplication.builder().run(
                    "--spring.kafka.bootstrap-servers=" + bootstrap, "--server.port=0",
                    "--tributary.writer.database.path=" + dir.resolve("main.db"),
                    "--tributary.writer.config-topic.enabled=true", "--tributary.writer.config-topic.retry=200ms",
                    "--tributary.writer.config-topic.topic=" + SCOPED_TOPIC,
                    "--tributary.writer.config-topic.secrets-directory=" + secrets(),
                    "--tributary.writer.outbound.group-id=tributary-outbound-scoped",
                    "--tributary.writer.outbound.redelivery.initial-interval=100ms",
                    "--tributary.writer.outbound.redelivery.max-interval=500ms")) {
                await("a host variable as the webhook secret is refused, naming the reference and the rule")
                        .atMost(PATIENCE).until(() -> output.getOut().contains("Definition acme/" + HOOKS
                                + ": its local changes cannot be delivered (secret references outside the organization's: "
                                + "[$.webhooks.outbound[0].secret: ${env:PATH} is not one of organization acme's secrets: "
                                + "an environment variable must be named TRIBUTARY_SECRET_ACME__<NAME>]"));
                // listed for the admin API's source status (decision 0036): the delivery, not an entity, refused
                // the refusal is logged, then recorded: wait for the record
                await("listed for the status").atMost(PATIENCE).untilAsserted(() -> assertThat(
                        writer.getBean(SourceActivity.class).snapshot().refused()).singleElement().satisfies(refusal -> {
                            assertThat(refusal.key()).isEqualTo("acme/" + HOOKS);
                            assertThat(refusal.entity()).isNull();
                            assertThat(refusal.reason()).startsWith("its local changes cannot be delivered (secret"
                                    + " references outside the organization's: [$.webhooks.outbound[0].secret: ${env:PATH}")
                                    .doesNotContain(System.getenv("PATH"));
                        }));
                await("its table is two-way all the same: its capture triggers exist").atMost(PATIENCE)
                        .until(() -> count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"
                                + " AND name LIKE 'tributary_capture_" + SCOPED + "_%'") == 3);
                long before = creates();
                long row = application.insert(HOOKS, "Alabama", "John Coltrane", "Giant Steps");
                capture.send(capture.change(HOOKS, SCOPED, row, null, LocalOperation.CREATE, 0, Instant.now(),
                        Map.of("name", "Alabama", "artist", "John Coltrane", "album", "Live at Birdland")));

                String withAuth = definition.replace(outputSecret, "${file:" + ownSecret + "}").replace(
                        "      eventPrefix: music\n", "      eventPrefix: music\n      auth: {type: bearer, token: \"${file:"
                                + hostFile + "}\"}\n");
                assertThat(withAuth).contains("auth: {type: bearer");
                config.put(HOOKS, withAuth, false);
                await("a host file as the webhook's auth is refused, naming the reference and the rule").atMost(PATIENCE)
                        .until(() -> output.getOut().contains("$.webhooks.outbound[0].auth.token: ${file:" + hostFile
                                + "} is not one of organization acme's secrets: a file must be under " + own + "/"));

                config.put(HOOKS, definition.replace(outputSecret, "${file:" + link + "}"), false);
                await("a link from the organization's directory to a host file is refused when it is resolved")
                        .atMost(PATIENCE).until(() -> output.getOut().contains("Definition acme/" + HOOKS
                                + ": its local changes cannot be delivered (credential ${file:" + link
                                + "} leads, through a symbolic link, outside organization acme's secrets"));
                await("nothing is sent while every version is refused").during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(10)).until(() -> application.externalId(row) == null && creates() == before);

                config.put(HOOKS, definition.replace(outputSecret, "${file:" + ownSecret + "}"), false);
                await("the version with the organization's own secret delivers the change that waited").atMost(PATIENCE)
                        .until(() -> application.externalId(row) != null);
                assertThat(item(application.externalId(row))).isEqualTo("Alabama");
                assertThat(writer.getBean(SourceActivity.class).snapshot().refused()).as("the version taken refuses nothing")
                        .isEmpty();
                assertThat(creates() - before).isEqualTo(1);
                assertThat(output.getOut()).contains("Definition acme/" + HOOKS + ": local changes of [" + SCOPED
                        + "] delivered to source '" + HOOKS + "'");
                assertThat(writer.getBean(MeterRegistry.class).find("tributary.outbound.delivered")
                        .tag("outcome", "dead-lettered").counters()).as("nothing dead-lettered").isEmpty();
            }
        }
        assertThat(output.getOut()).doesNotContain(receiverSecret).doesNotContain(hostSecret).doesNotContain(hostPath)
                .doesNotContain(receiverSecret.substring("whsec_".length()))
                .doesNotContain(hostSecret.substring("whsec_".length()));
    }

    private Path secrets() {
        return dir.resolve("secrets").toAbsolutePath();
    }

    /** The application's create of a row of {@code music_items}, as the capture numbers and sends it. */
    private static void create(StandInCapture capture, long row, String name) {
        capture.send(capture.change(SOURCE, "music_items", row, null, LocalOperation.CREATE, 0, Instant.now(),
                Map.of("name", name, "artist", "John Coltrane", "album", "Giant Steps")));
    }

    private long insertRow(String name) throws SQLException {
        return application.insert(SOURCE, name, "John Coltrane", "Giant Steps");
    }

    private long count(String sql) {
        try (Connection db = DriverManager.getConnection(application.url()); Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The creates the simulator's music inventory has had (by REST or by webhook). */
    private long creates() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(music + "/admin/music/stats"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).path("creates").asLong();
    }

    private String item(String externalId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(music + "/music/" + externalId))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).path("name").asString();
    }
}
