package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A source defined, changed, paused, resumed and deleted through the admin API takes effect in a poller that
 * is never restarted (issue 5, decision 0022): admin-service, a poller following the config topic (no static
 * source), the writer with the target table, a real broker and a fake REST API that counts requests per path.
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class LiveDefinitionIT {

    private static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aDefinitionChangedThroughTheAdminApiTakesEffectWithoutARestart(EmbeddedKafkaBroker broker) throws Exception {
        List<Map<String, Object>> v1 = List.of(item("m-1", "One"), item("m-2", "Two"), item("m-3", "Three"));
        List<Map<String, Object>> v2 = new ArrayList<>(v1);
        v2.add(item("m-4", "Four (only on the second endpoint)"));
        String bootstrap = broker.getBrokersAsString();
        try (FakeJsonApi api = FakeJsonApi.start().serve("/music", () -> v1).serve("/v2/music", () -> v2);
             LivePipeline live = LivePipeline.start(broker, dir, "acme-records")) {
            Path database = live.database();
            String source = live.source("live-music");
            int port = api.port();

            HttpResponse<String> put = live.call("PUT", source, definition(port, "/music"), "application/yaml");
            assertThat(put.statusCode()).as(put.body()).isBetween(200, 201);
            await("the source defined through the API syncs").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(MainDbRows.names(database, "music_items", "live-music")).isEqualTo(names(v1)));

            put = live.call("PUT", source, definition(port, "/v2/music"), "application/yaml");
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            await("the changed endpoint is polled, and its extra record arrives").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(MainDbRows.names(database, "music_items", "live-music")).isEqualTo(names(v2)));
            stopsGrowing(() -> api.count("/music"), "the first endpoint is no longer polled");

            assertThat(live.call("POST", source + "/pause", "", "application/json").statusCode()).isEqualTo(200);
            stopsGrowing(() -> api.count("/v2/music"), "a paused source is not polled");
            long paused = api.count("/v2/music");
            assertThat(live.call("POST", source + "/resume", "", "application/json").statusCode()).isEqualTo(200);
            await("a resumed source is polled again").atMost(Duration.ofSeconds(30))
                    .until(() -> api.count("/v2/music") > paused + 2);

            // A value the admin API would have refused, written straight to the topic: the running version goes on.
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("tributary.config.sources", "acme-records/live-music",
                        "{\"definition\":{\"organization\":\"acme-records\",\"id\":\"live-music\",\"kind\":\"rest\","
                                + "\"entities\":[{\"name\":\"music_items\"}]},\"state\":{\"paused\":false}}")).get();
            }
            long beforeBroken = api.count("/v2/music");
            await("a refused definition leaves the running version polling").atMost(Duration.ofSeconds(30))
                    .until(() -> api.count("/v2/music") > beforeBroken + 5);

            assertThat(live.call("DELETE", source, null, "application/json").statusCode()).isEqualTo(204);
            stopsGrowing(() -> api.count("/v2/music"), "a deleted source is not polled");
            assertThat(MainDbRows.names(database, "music_items", "live-music")).as("deleting a source leaves the synced rows").isEqualTo(names(v2));
        }
    }

    /** Waits until the counter has not moved for two seconds (a pass already in flight may finish first). */
    private static void stopsGrowing(LongSupplier counter, String what) {
        long[] last = {counter.getAsLong()};
        await(what).during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    long now = counter.getAsLong();
                    boolean still = now == last[0];
                    last[0] = now;
                    return still;
                });
    }

    private static String definition(int port, String path) {
        return MusicSourceYaml.of("live-music", port, "200ms", "{path: " + path + "}", "");
    }



    private static Map<String, Object> item(String id, String name) {
        return Map.of("id", id, "name", name, "updatedAt", T0.toString());
    }

    private static Map<String, String> names(List<Map<String, Object>> items) {
        Map<String, String> names = new TreeMap<>();
        items.forEach(item -> names.put((String) item.get("id"), (String) item.get("name")));
        return names;
    }
}
