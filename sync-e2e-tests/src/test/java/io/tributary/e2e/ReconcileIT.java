package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumChange;
import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumStore;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verify and reconciliation through the real services: a synced forum drifts in every way the pipeline
 * cannot see by itself (deletes with no webhook at all, a row lost from the main DB, a row left at an old
 * version); {@code GET /verify} and {@code bin/tributary-verify} report exactly that drift and the
 * {@code tributary.verify.drift} gauges show it; {@code POST /reconcile} repairs it (deletes only what the
 * source answers 404 for); then zero differences row by row and zero drift. A source whose scan fails
 * reports an incomplete run and repairs nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconcileIT {

    private static final String SOURCE_ID = "forum-sim";
    private static final String UNREACHABLE = "unreachable";
    private static final Path VERIFY_COMMAND = Path.of("..", "bin", "tributary-verify").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    private EmbeddedKafkaKraftBroker kafka;
    private ConfigurableApplicationContext simulator;
    private ConfigurableApplicationContext writer;
    private ConfigurableApplicationContext poller;
    private ForumComparison comparison;
    private ForumMutator mutator;
    private Path mainDb;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private List<String> deletedMessages;
    private List<String> deletedTopics;
    private String lostMessage;
    private String staleMessage;

    @BeforeAll
    void startEverything() throws IOException {
        kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.afterPropertiesSet();
        String bootstrap = kafka.getBrokersAsString();
        simulator = ForumSimulatorApplication.builder().run(
                "--server.port=0",
                "--forum-simulator.database=" + dir.resolve("forum-simulator.db"),
                "--forum-simulator.seed.users=200",
                "--forum-simulator.seed.sections=10",
                "--forum-simulator.seed.topics=400",
                "--forum-simulator.seed.messages=1400",
                "--forum-simulator.faults.error-rate=0.03");
        mutator = simulator.getBean(ForumMutator.class);
        mainDb = dir.resolve("tributary.db");
        writer = PipelineServices.writer(bootstrap, mainDb);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        poller = PipelineServices.poller(bootstrap, SOURCE_ID, simulator,
                "--tributary.poller.sources[0].poll-interval=200ms",
                "--tributary.poller.sources[0].retry.min-backoff=20ms",
                "--tributary.poller.sources[1].id=" + UNREACHABLE,
                "--tributary.poller.sources[1].kind=forum-rest",
                "--tributary.poller.sources[1].entities=users",
                "--tributary.poller.sources[1].poll-interval=5s",
                "--tributary.poller.sources[1].base-url=http://127.0.0.1:" + closedPort,
                "--tributary.poller.sources[1].retry.max-attempts=2",
                "--tributary.poller.reconcile.writer-url=http://127.0.0.1:" + PipelineServices.port(writer),
                "--tributary.poller.reconcile.interval=0s",
                "--tributary.poller.reconcile.settle=1s",
                // small buckets: several records per differing bucket are compared one by one
                "--tributary.poller.reconcile.buckets=64");
        comparison = new ForumComparison(simulator.getBean(ForumStore.class), "jdbc:sqlite:" + mainDb, SOURCE_ID);
        await("initial sync").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .until(comparison::countsMatch);
    }

    @AfterAll
    void stopEverything() {
        PipelineServices.stop(kafka, poller, writer, simulator);
    }

    @Test
    @Order(1)
    void inSyncVerifiesAsZeroDriftAndTheCommandExitsZero() throws Exception {
        JsonNode result = get("/verify?source=" + SOURCE_ID);

        assertThat(result.get("drift").asBoolean()).as(result.toString()).isFalse();
        assertThat(result.get("complete").asBoolean()).isTrue();
        assertThat(result.get("reports")).hasSize(4);
        for (JsonNode report : result.get("reports")) {
            assertThat(report.get("differingBuckets").asInt()).as(report.toString()).isZero();
            assertThat(report.get("sourceRecords").asLong()).isEqualTo(report.get("mainDbRecords").asLong());
        }
        assertThat(runVerifyCommand("--source", SOURCE_ID).exitCode).isZero();
    }

    @Test
    @Order(2)
    void driftThePipelineCannotSeeIsReportedExactly() throws Exception {
        // Deletes with no webhook: listings have no tombstones, so polling never sees them.
        deletedMessages = ids(mutator.delete("messages", 5));
        deletedTopics = ids(mutator.delete("topics", 2));
        // A row lost from the main DB (a leaf message, so no reply references it) and one left behind.
        lostMessage = firstLeafMessageNotIn(deletedMessages);
        staleMessage = firstLeafMessageNotIn(append(deletedMessages, lostMessage));
        execute("DELETE FROM messages WHERE source_id = '" + SOURCE_ID + "' AND external_id = '" + lostMessage + "'");
        execute("UPDATE messages SET source_version = source_version - 1 WHERE source_id = '" + SOURCE_ID
                + "' AND external_id = '" + staleMessage + "'");

        JsonNode result = get("/verify?source=" + SOURCE_ID);

        assertThat(result.get("drift").asBoolean()).as(result.toString()).isTrue();
        JsonNode messages = report(result, "messages");
        assertThat(messages.get("extra").asLong()).as(messages.toString()).isEqualTo(5);
        assertThat(messages.get("missing").asLong()).isEqualTo(1);
        assertThat(messages.get("stale").asLong()).isEqualTo(1);
        assertThat(messages.get("repaired").asLong()).as("verify repairs nothing").isZero();
        assertThat(texts(messages.get("samples").get("extra"))).containsExactlyInAnyOrderElementsOf(deletedMessages);
        assertThat(texts(messages.get("samples").get("missing"))).containsExactly(lostMessage);
        assertThat(texts(messages.get("samples").get("stale"))).containsExactly(staleMessage);
        JsonNode topics = report(result, "topics");
        assertThat(topics.get("extra").asLong()).as(topics.toString()).isEqualTo(2);
        assertThat(texts(topics.get("samples").get("extra"))).containsExactlyInAnyOrderElementsOf(deletedTopics);
        assertThat(report(result, "users").get("drift").asLong()).isZero();
        assertThat(report(result, "sections").get("drift").asLong()).isZero();

        MeterRegistry meters = poller.getBean(MeterRegistry.class);
        assertThat(meters.get("tributary.verify.drift").tags("source", SOURCE_ID, "entity", "messages", "kind", "extra")
                .gauge().value()).isEqualTo(5);
        assertThat(meters.get("tributary.verify.drift").tags("source", SOURCE_ID, "entity", "topics", "kind", "extra")
                .gauge().value()).isEqualTo(2);
        // verify changed nothing: the deleted records are still live rows
        assertThat(comparison.state("messages", deletedMessages.get(0))).isEqualTo(ForumComparison.RowState.LIVE);

        CommandResult command = runVerifyCommand("--source", SOURCE_ID, "--entity", "messages");
        assertThat(command.exitCode).as(command.output).isEqualTo(1);
        assertThat(command.output).contains(SOURCE_ID + "/messages").contains(lostMessage).contains(staleMessage);
    }

    @Test
    @Order(3)
    void reconcileRepairsEveryDriftAndVerifiesClean() throws Exception {
        JsonNode result = post("/reconcile?source=" + SOURCE_ID);

        assertThat(report(result, "messages").get("repaired").asLong()).as(result.toString()).isEqualTo(7);
        assertThat(report(result, "topics").get("repaired").asLong()).isEqualTo(2);
        await("zero differences, row by row, after the repairs").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    List<SyncDifferences> differences = comparison.compareAll();
                    assertThat(differences).as(ForumComparison.describe(differences)).allMatch(SyncDifferences::none);
                });
        for (String id : deletedMessages) {
            assertThat(comparison.state("messages", id)).as("message " + id).isEqualTo(ForumComparison.RowState.DELETED);
        }
        for (String id : deletedTopics) {
            assertThat(comparison.state("topics", id)).as("topic " + id).isEqualTo(ForumComparison.RowState.DELETED);
        }
        await("zero drift").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> !get("/verify?source=" + SOURCE_ID).get("drift").asBoolean());
        assertThat(poller.getBean(MeterRegistry.class).get("tributary.verify.drift")
                .tags("source", SOURCE_ID, "entity", "messages", "kind", "extra").gauge().value()).isZero();
        assertThat(runVerifyCommand().exitCode).as("the unreachable source makes the run incomplete").isEqualTo(2);
        assertThat(runVerifyCommand("--source", SOURCE_ID).exitCode).isZero();
    }

    @Test
    @Order(4)
    void aScanThatFailsClaimsNothingAndRepairsNothing() throws Exception {
        JsonNode result = post("/reconcile?source=" + UNREACHABLE);

        assertThat(result.get("complete").asBoolean()).as(result.toString()).isFalse();
        assertThat(result.get("drift").asBoolean()).isFalse();
        JsonNode users = report(result, "users");
        assertThat(users.get("repaired").asLong()).isZero();
        assertThat(users.get("error").asText()).isNotBlank();
        assertThat(poller.getBean(MeterRegistry.class).find("tributary.verify.drift").tag("source", UNREACHABLE).gauges())
                .as("no drift is claimed for a source whose scan failed").isEmpty();
    }

    @Test
    @Order(5)
    void badRequestsAreAnsweredWithAProblemNamingIt() throws Exception {
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(uri("/verify?source=nope")).GET());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("source 'nope' is not configured");
        HttpResponse<String> entity = send(HttpRequest.newBuilder(uri("/verify?source=" + SOURCE_ID + "&entity=nope")).GET());
        assertThat(entity.statusCode()).isEqualTo(404);
        assertThat(entity.body()).contains("entity 'nope' is not configured");
        HttpResponse<String> digest = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + PipelineServices.port(writer) + "/inventory/messages/digest?source=" + SOURCE_ID + "&buckets=0")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(digest.statusCode()).isEqualTo(400);
        assertThat(digest.body()).contains("'buckets' must be between 1 and 65536");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return ok(send(HttpRequest.newBuilder(uri(path)).GET()));
    }

    private JsonNode post(String path) throws IOException, InterruptedException {
        return ok(send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody())));
    }

    private JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + PipelineServices.port(poller) + path);
    }

    private static JsonNode report(JsonNode result, String entity) {
        for (JsonNode report : result.get("reports")) {
            if (report.get("entity").asText().equals(entity)) {
                return report;
            }
        }
        throw new AssertionError("no report for " + entity + " in " + result);
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> ids(List<ForumChange> changes) {
        return changes.stream().map(ForumChange::id).toList();
    }

    private static List<String> append(List<String> list, String element) {
        return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(element)).toList();
    }

    private String firstLeafMessageNotIn(List<String> excluded) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + mainDb);
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT m.external_id FROM messages m WHERE m.deleted = 0"
                     + " AND m.source_version > 0 AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.parent_id = m.id)"
                     + " ORDER BY m.external_id")) {
            while (rs.next()) {
                if (!excluded.contains(rs.getString(1))) {
                    return rs.getString(1);
                }
            }
        }
        throw new AssertionError("no leaf message");
    }

    private void execute(String sql) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + mainDb + "?busy_timeout=10000");
             Statement st = db.createStatement()) {
            assertThat(st.executeUpdate(sql)).as(sql).isEqualTo(1);
        }
    }

    private record CommandResult(int exitCode, String output) {
    }

    /** Runs bin/tributary-verify against the poller, as an operator would. */
    private CommandResult runVerifyCommand(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", VERIFY_COMMAND.toString()));
        command.addAll(List.of(args));
        command.add("http://127.0.0.1:" + PipelineServices.port(poller));
        Path output = Files.createTempFile(dir, "verify", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("tributary-verify finished").isTrue();
        return new CommandResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
