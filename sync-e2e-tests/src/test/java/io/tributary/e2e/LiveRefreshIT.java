package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeKey;
import io.tributary.model.Origin;
import io.tributary.model.RefreshRequest;
import io.tributary.model.RefreshRequestSerializer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A refresh request (what a thin webhook becomes) for a source that exists only through the admin API is
 * served by the poller that runs it: the record is read by its {@code itemPath} and lands in the main DB, though
 * the listing never shows it. Once the source is paused, its requests are skipped and the source is not called.
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class LiveRefreshIT {

    @TempDir
    Path dir;

    @Test
    void aThinEventOfALiveSourceIsReadByItsItemPathAndAPausedSourceIsNotCalled(EmbeddedKafkaBroker broker)
            throws Exception {
        String bootstrap = broker.getBrokersAsString();
        try (FakeJsonApi api = FakeJsonApi.start()
                     // the listing never shows the records: only a refresh can bring them
                     .serve("/music", List::of)
                     .serve("/items/m-7", () -> Map.of("id", "m-7", "name", "Seven", "updatedAt", "2026-11-22T08:00:00Z"))
                     .serve("/items/m-8", () -> Map.of("id", "m-8", "name", "Eight", "updatedAt", "2026-11-22T08:00:00Z"));
             LivePipeline live = LivePipeline.start(broker, dir, "acme-records");
             KafkaProducer<String, RefreshRequest> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                     new RefreshRequestSerializer())) {
            Path database = live.database();
            ConfigurableApplicationContext poller = live.poller();
            HttpResponse<String> put = live.put("live-refresh", definition(api.port()));
            assertThat(put.statusCode()).as(put.body()).isBetween(200, 201);
            // a second listing pass means the source was started (and its refresher registered) a pass ago
            await("the live source runs").atMost(Duration.ofSeconds(60)).until(() -> api.count("/music") >= 2);

            refresh(producer, "m-7");
            await("the refreshed record arrives").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(MainDbRows.names(database, "music_items", "live-refresh"))
                            .isEqualTo(Map.of("m-7", "Seven")));
            assertThat(api.count("/items/m-7")).isEqualTo(1);

            assertThat(live.call("POST", live.source("live-refresh") + "/pause", "", "application/json").statusCode())
                    .isEqualTo(200);
            long listings = api.count("/music");
            await("paused: no more listings").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(20))
                    .until(() -> api.count("/music") <= listings + 1);
            double skippedBefore = skipped(poller);
            refresh(producer, "m-8");
            await("the request of a paused source is skipped").atMost(Duration.ofSeconds(30))
                    .until(() -> skipped(poller) > skippedBefore);
            assertThat(api.count("/items/m-8")).as("a paused source is not called").isZero();
            assertThat(MainDbRows.names(database, "music_items", "live-refresh")).isEqualTo(Map.of("m-7", "Seven"));
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
        return MusicSourceYaml.of("live-refresh", port, "200ms", "{path: /music, itemPath: \"/items/{id}\"}", "");
    }
}
