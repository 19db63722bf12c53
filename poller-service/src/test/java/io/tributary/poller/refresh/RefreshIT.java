package io.tributary.poller.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventDeserializer;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.model.RefreshRequest;
import io.tributary.model.RefreshRequestSerializer;
import io.tributary.poller.PollerApplication;
import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumChange;
import io.tributary.simulator.content.ForumMutator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Refresh requests against the real simulator and a real broker: a request for a live record publishes
 * an UPSERT of its current version (origin taken from the request), one for a deleted record a DELETE,
 * one for an unconfigured source nothing. Polling is slowed down so that what arrives is the refresh.
 */
@EmbeddedKafka(partitions = 1, topics = "tributary.changes.messages")
class RefreshIT {

    @TempDir
    static Path dir;

    @Test
    void aRequestPublishesTheCurrentVersionOrADelete(EmbeddedKafkaBroker broker) {
        String brokers = broker.getBrokersAsString();
        try (ConfigurableApplicationContext simulator = ForumSimulatorApplication.builder().run(
                     "--server.port=0", "--forum-simulator.database=" + dir.resolve("forum.db"),
                     "--forum-simulator.seed.users=20", "--forum-simulator.seed.sections=2",
                     "--forum-simulator.seed.topics=10", "--forum-simulator.seed.messages=30",
                     "--forum-simulator.faults.error-rate=0.2");
             ConfigurableApplicationContext poller = PollerApplication.builder().run(
                     "--server.port=0", "--spring.kafka.bootstrap-servers=" + brokers,
                     "--tributary.poller.sources[0].id=forum-sim", "--tributary.poller.sources[0].kind=forum-rest",
                     "--tributary.poller.sources[0].entities=users",
                     "--tributary.poller.sources[0].base-url=http://127.0.0.1:" + port(simulator),
                     "--tributary.poller.sources[0].poll-interval=10m",
                     "--tributary.poller.sources[0].retry.min-backoff=10ms",
                     "--tributary.poller.sources[0].retry.max-backoff=50ms");
             KafkaConsumer<String, ChangeEvent> changes = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers, ConsumerConfig.GROUP_ID_CONFIG, "refresh-it",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                     new ChangeEventDeserializer());
             KafkaProducer<String, RefreshRequest> requests = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new StringSerializer(),
                     new RefreshRequestSerializer())) {
            ForumMutator mutator = simulator.getBean(ForumMutator.class);
            // delete first: the update then picks a live message, never the deleted one
            ForumChange deleted = mutator.delete("messages", 1).get(0);
            ForumChange updated = mutator.update("messages", 1).get(0);
            Instant before = Instant.now();
            for (RefreshRequest request : List.of(
                    request("forum-sim", updated.id()), request("forum-sim", deleted.id()), request("other", "x1"))) {
                requests.send(new ProducerRecord<>(RefreshRequest.TOPIC, request.key().encode(), request));
            }
            requests.flush();

            changes.subscribe(List.of("tributary.changes.messages"));
            Map<String, ChangeEvent> received = new LinkedHashMap<>();
            List<ChangeEvent> all = new ArrayList<>();
            await("an event per refresh request").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        changes.poll(Duration.ofMillis(200)).forEach(record -> {
                            all.add(record.value());
                            received.put(record.key(), record.value());
                        });
                        assertThat(received).containsKeys("forum-sim:" + updated.id(), "forum-sim:" + deleted.id());
                    });

            ChangeEvent upsert = received.get("forum-sim:" + updated.id());
            assertThat(upsert.op()).isEqualTo(Operation.UPSERT);
            assertThat(upsert.origin()).isEqualTo(Origin.WEBHOOK);
            assertThat(upsert.sourceVersion()).isEqualTo(updated.at().toEpochMilli());
            assertThat(upsert.payload()).containsEntry("body", updated.record().get("body"))
                    .containsEntry("updated_at", updated.record().get("updated_at"));
            ChangeEvent delete = received.get("forum-sim:" + deleted.id());
            assertThat(delete.op()).isEqualTo(Operation.DELETE);
            assertThat(delete.payload()).isEmpty();
            assertThat(delete.sourceVersion()).isGreaterThanOrEqualTo(before.toEpochMilli());
            assertThat(all).noneMatch(event -> event.sourceId().equals("other"));
        }
    }

    private static RefreshRequest request(String sourceId, String id) {
        return new RefreshRequest(sourceId, "messages", id, Instant.now(), Origin.WEBHOOK, "thin message.updated event");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
