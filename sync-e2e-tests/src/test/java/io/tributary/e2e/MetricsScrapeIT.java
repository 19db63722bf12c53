package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.ingest.WebhookIngestApplication;
import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Syncs a small forum with webhooks on, then scrapes {@code /actuator/prometheus} of every service
 * (simulator, poller, webhook receiver, writer) and asserts the series docs/operations.md names exist,
 * with the documented labels only (never an id), and with plausible values: every record applied once,
 * as many events polled as published, webhooks accepted after changes. Also the writer's {@code /status}
 * with the poller's sources.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsScrapeIT {

    private static final String SOURCE_ID = "forum-sim";
    private static final List<String> ENTITIES = ForumEntity.ALL.stream().map(ForumEntity::name).toList();
    /** Every label a tributary_* series may carry; an id (event, record, delivery) is never one of them. */
    private static final Set<String> LABELS = Set.of("source", "entity", "op", "outcome", "reason", "status", "topic",
            "kind", "le", "quantile");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedKafkaKraftBroker kafka;
    private ConfigurableApplicationContext ingest;
    private ConfigurableApplicationContext simulator;
    private ConfigurableApplicationContext poller;
    private ConfigurableApplicationContext writer;
    private ForumComparison comparison;

    @BeforeAll
    void startEverything() {
        kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.afterPropertiesSet();
        String bootstrap = kafka.getBrokersAsString();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        ingest = WebhookIngestApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--tributary.ingest.sources[0].id=" + SOURCE_ID,
                "--tributary.ingest.sources[0].secrets[0]=" + secret);
        simulator = ForumSimulatorApplication.builder().run(
                "--server.port=0",
                "--forum-simulator.database=" + dir.resolve("forum-simulator.db"),
                "--forum-simulator.seed.users=30",
                "--forum-simulator.seed.sections=3",
                "--forum-simulator.seed.topics=20",
                "--forum-simulator.seed.messages=80",
                "--forum-simulator.webhooks.url=http://127.0.0.1:" + PipelineServices.port(ingest) + "/webhooks/" + SOURCE_ID,
                "--forum-simulator.webhooks.secret=" + secret);
        poller = PipelineServices.poller(bootstrap, SOURCE_ID, simulator,
                "--tributary.poller.sources[0].poll-interval=500ms",
                "--tributary.poller.sources[0].per-page=25");
        Path mainDb = dir.resolve("tributary.db");
        writer = PipelineServices.writer(bootstrap, mainDb,
                "--tributary.writer.status.poller-url=http://127.0.0.1:" + PipelineServices.port(poller));
        comparison = new ForumComparison(simulator.getBean(ForumStore.class), "jdbc:sqlite:" + mainDb, SOURCE_ID);
    }

    @AfterAll
    void stopEverything() {
        PipelineServices.stop(kafka, simulator, poller, ingest, writer);
    }

    @Test
    void everyServiceExposesTheNamedSeriesWithPlausibleValues() throws Exception {
        await("initial sync").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(comparison::countsMatch);
        ForumStore store = simulator.getBean(ForumStore.class);

        // writer: each record applied exactly once (a re-delivery would be stale or duplicate, not applied)
        await("applied counters caught up").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Sample> w = scrape(writer);
            for (String entity : ENTITIES) {
                assertThat(sum(w, "tributary_writer_applied_total", Map.of("entity", entity, "outcome", "applied")))
                        .as("applied %s", entity).isEqualTo(store.count(entity));
            }
        });
        List<Sample> w = scrape(writer);
        assertThat(sum(w, "tributary_writer_dead_lettered_total", Map.of("entity", "users"))).isZero();
        assertThat(sum(w, "tributary_writer_batch_size_events_count", Map.of())).isPositive();
        assertThat(sum(w, "tributary_writer_batch_duration_seconds_count", Map.of())).isPositive();
        assertThat(sum(w, "tributary_writer_freshness_seconds_bucket", Map.of("entity", "messages", "le", "+Inf")))
                .isPositive();
        assertThat(series(w, "tributary_writer_consumer_lag")).extracting(s -> s.labels().get("topic"))
                .contains("tributary.changes.users", "tributary.changes.messages");
        assertThat(sum(w, "spring_kafka_listener_seconds_count", Map.of())).as("listener observations").isPositive();

        // poller: per source and entity, as many events polled as published, at least one per record
        List<Sample> p = scrape(poller);
        for (String entity : ENTITIES) {
            Map<String, String> labels = Map.of("source", SOURCE_ID, "entity", entity);
            double published = sum(p, "tributary_poller_records_published_total", labels);
            assertThat(published).as("published %s", entity).isGreaterThanOrEqualTo(store.count(entity));
            assertThat(sum(p, "tributary_poller_records_polled_total", labels)).as("polled %s", entity)
                    .isEqualTo(published);
            assertThat(sum(p, "tributary_poller_page_duration_seconds_count", labels)).isPositive();
            assertThat(sum(p, "tributary_poller_poll_duration_seconds_count",
                    Map.of("source", SOURCE_ID, "entity", entity, "outcome", "caught-up"))).isPositive();
            assertThat(sum(p, "tributary_poller_requests_total",
                    Map.of("source", SOURCE_ID, "entity", entity, "status", "2xx"))).isPositive();
            assertThat(series(p, "tributary_poller_requests_total")).anyMatch(s -> "429".equals(s.labels().get("status")));
            assertThat(series(p, "tributary_poller_checkpoint_age_seconds")).filteredOn(s -> labels.equals(s.labels()))
                    .singleElement().satisfies(s -> assertThat(s.value()).isBetween(0.0, 60.0));
        }
        assertThat(sum(p, "spring_kafka_template_seconds_count", Map.of())).as("template observations").isPositive();

        // webhooks: changes at the source arrive through the receiver
        simulator.getBean(ForumMutator.class).update("users", 5);
        await("webhooks accepted").atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(sum(scrape(ingest),
                "tributary_ingest_webhooks_total", Map.of("source", SOURCE_ID, "outcome", "accepted", "reason", "upsert")))
                .isGreaterThanOrEqualTo(5));
        List<Sample> i = scrape(ingest);
        assertThat(sum(i, "tributary_ingest_accept_latency_seconds_count", Map.of("source", SOURCE_ID)))
                .isGreaterThanOrEqualTo(5);
        assertThat(i).as("no webhook rejected (the series is born at the first rejection)").noneMatch(sample ->
                sample.name().equals("tributary_ingest_webhooks_total") && "rejected".equals(sample.labels().get("outcome"))
                        && sample.value() > 0);
        List<Sample> s = scrape(simulator);
        assertThat(sum(s, "tributary_simulator_webhooks_total", Map.of("outcome", "delivered")))
                .isGreaterThanOrEqualTo(5);

        for (ConfigurableApplicationContext service : List.of(writer, poller, ingest, simulator)) {
            for (Sample sample : scrape(service)) {
                if (sample.name().startsWith("tributary_")) {
                    assertThat(LABELS).as("labels of %s", sample.name()).containsAll(sample.labels().keySet());
                }
            }
        }

        // the writer's status shows the poller's sources
        String status = get(writer, "/status");
        assertThat(status).contains("\"reachable\":true", "\"id\":\"" + SOURCE_ID + "\"", "\"kind\":\"forum-rest\"");
    }

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private List<Sample> scrape(ConfigurableApplicationContext service) throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (String line : get(service, "/actuator/prometheus").lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as(line).isTrue();
            Map<String, String> labels = new HashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return samples;
    }

    private static List<Sample> series(List<Sample> samples, String name) {
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(found).as("series %s", name).isNotEmpty();
        return found;
    }

    /** The sum of the named series whose labels include {@code labels}; fails if there is none. */
    private static double sum(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> matching = series(samples, name).stream()
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
        assertThat(matching).as("series %s%s", name, labels).isNotEmpty();
        return matching.stream().mapToDouble(Sample::value).sum();
    }

    private String get(ConfigurableApplicationContext service, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + PipelineServices.port(service) + path)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}
