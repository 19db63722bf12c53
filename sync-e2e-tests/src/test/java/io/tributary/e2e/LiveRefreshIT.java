package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.admin.AdminApplication;
import io.tributary.model.ChangeKey;
import io.tributary.model.Origin;
import io.tributary.model.RefreshRequest;
import io.tributary.model.RefreshRequestSerializer;
import io.tributary.poller.PollerApplication;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.json.JsonMapper;

/**
 * A refresh request (what a thin webhook becomes) for a source that exists only through the admin API is
 * served by the poller that runs it: the record is read by its {@code itemPath} and lands in the main DB, though
 * the listing never shows it. Once the source is paused, its requests are skipped and the source is not called.
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class LiveRefreshIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BOOTSTRAP_TOKEN = "bootstrap-token-for-the-live-refresh-it-0123456789";

    @TempDir
    Path dir;

    private final AdminApiClient adminApi = new AdminApiClient();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

    @Test
    void aThinEventOfALiveSourceIsReadByItsItemPathAndAPausedSourceIsNotCalled(EmbeddedKafkaBroker broker)
            throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        respond(api, "/music", "[]"); // the listing never shows the records: only a refresh can bring them
        respond(api, "/items/m-7", "{\"id\":\"m-7\",\"name\":\"Seven\",\"updatedAt\":\"2026-11-22T08:00:00Z\"}");
        respond(api, "/items/m-8", "{\"id\":\"m-8\",\"name\":\"Eight\",\"updatedAt\":\"2026-11-22T08:00:00Z\"}");
        api.start();
        Path database = dir.resolve("main.db");
        String bootstrap = broker.getBrokersAsString();
        try (ConfigurableApplicationContext admin = AdminApplication.builder().run("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + bootstrap, "--tributary.admin.bootstrap-token=" + BOOTSTRAP_TOKEN);
             ConfigurableApplicationContext writer = PipelineServices.writer(bootstrap, database,
                     "--tributary.writer.consumer.fetch-max-wait=50ms",
                     "--tributary.writer.entities[0].name=music_items",
                     "--tributary.writer.entities[0].fields[0].name=name",
                     "--tributary.writer.entities[0].fields[0].type=text");
             ConfigurableApplicationContext poller = PollerApplication.builder().run("--server.port=0",
                     "--spring.kafka.bootstrap-servers=" + bootstrap,
                     "--tributary.poller.config-topic.enabled=true",
                     "--tributary.poller.config-topic.directory=" + dir.resolve("live"));
             KafkaProducer<String, RefreshRequest> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                     new RefreshRequestSerializer())) {
            String adminUrl = "http://127.0.0.1:" + PipelineServices.port(admin);
            HttpResponse<String> created = adminApi.call("POST", adminUrl + "/organizations", BOOTSTRAP_TOKEN,
                    "{\"id\":\"acme-records\"}", "application/json");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String token = JSON.readTree(created.body()).get("token").asString();
            String source = adminUrl + "/organizations/acme-records/sources/live-refresh";
            HttpResponse<String> put = adminApi.call("PUT", source, token, definition(api.getAddress().getPort()),
                    "application/yaml");
            assertThat(put.statusCode()).as(put.body()).isBetween(200, 201);
            // a second listing pass means the source was started (and its refresher registered) a pass ago
            await("the live source runs").atMost(Duration.ofSeconds(60)).until(() -> count("/music") >= 2);

            refresh(producer, "m-7");
            await("the refreshed record arrives").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(MainDbRows.names(database, "music_items", "live-refresh"))
                            .isEqualTo(Map.of("m-7", "Seven")));
            assertThat(count("/items/m-7")).isEqualTo(1);

            assertThat(adminApi.call("POST", source + "/pause", token, "", "application/json").statusCode()).isEqualTo(200);
            long listings = count("/music");
            await("paused: no more listings").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(20))
                    .until(() -> count("/music") <= listings + 1);
            double skippedBefore = skipped(poller);
            refresh(producer, "m-8");
            await("the request of a paused source is skipped").atMost(Duration.ofSeconds(30))
                    .until(() -> skipped(poller) > skippedBefore);
            assertThat(count("/items/m-8")).as("a paused source is not called").isZero();
            assertThat(MainDbRows.names(database, "music_items", "live-refresh")).isEqualTo(Map.of("m-7", "Seven"));
        } finally {
            api.stop(0);
        }
    }

    private static void refresh(KafkaProducer<String, RefreshRequest> producer, String id) throws Exception {
        RefreshRequest request = new RefreshRequest("live-refresh", "music_items", id, Instant.now(), Origin.WEBHOOK,
                "thin music.updated event");
        producer.send(new ProducerRecord<>(RefreshRequest.TOPIC, new ChangeKey("live-refresh", id).encode(), request)).get();
    }

    private static double skipped(ConfigurableApplicationContext poller) {
        Counter counter = poller.getBean(MeterRegistry.class).find("tributary.poller.refresh")
                .tags("source", "live-refresh", "outcome", "unknown_source").counter();
        return counter == null ? 0 : counter.count();
    }

    private static String definition(int port) {
        return """
                organization: acme-records
                id: live-refresh
                kind: rest
                baseUrl: http://127.0.0.1:%d
                schedule: {interval: 200ms}
                entities:
                  - name: music_items
                    endpoint: {path: /music, itemPath: "/items/{id}"}
                    pagination: {type: none}
                    records: {path: $}
                    mapping:
                      key: externalId
                      version: {source: updatedAt, format: iso-instant}
                      fields:
                        externalId: {type: string, source: id, required: true}
                        name: {type: string, source: name, required: true}
                """.formatted(port);
    }

    private void respond(HttpServer api, String path, String json) {
        AtomicLong counter = requests.computeIfAbsent(path, p -> new AtomicLong());
        api.createContext(path, exchange -> {
            try (exchange) {
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                counter.incrementAndGet();
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
    }

    private long count(String path) {
        return requests.get(path).get();
    }
}
