package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.tributary.ingest.WebhookIngestApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A source's inbound webhooks declared through the admin API are received without a restart (issue 5, decision
 * 0027): the receiver follows the config topic, verifies with the definition's secret, maps with its declarative
 * mapping and the writer stores the record; a rotated secret takes effect live (the old one is refused); a record
 * the mapping refuses is dead-lettered and answered 400 naming the field; paused → 503, deleted → 404. The secrets are
 * files of the organization's own directory (decision 0031).
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class LiveWebhookIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void inboundWebhooksOfADefinitionAreReceivedVerifiedAndMappedLive(EmbeddedKafkaBroker broker) throws Exception {
        String first = secret("the first key");
        String second = secret("the rotated key");
        Path own = Files.createDirectories(LivePipeline.secretsDirectory(dir).resolve("acme-records"));
        Path firstFile = Files.writeString(own.resolve("first-secret"), first);
        Path secondFile = Files.writeString(own.resolve("second-secret"), second);
        try (FakeJsonApi api = FakeJsonApi.start().serve("/music", List::of); // nothing to poll: only webhooks bring records
             LivePipeline live = LivePipeline.start(broker, dir, "acme-records");
             ConfigurableApplicationContext ingest = WebhookIngestApplication.builder().run("--server.port=0",
                     "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                     "--tributary.ingest.config-topic.enabled=true",
                     "--tributary.ingest.config-topic.secrets-directory=" + LivePipeline.secretsDirectory(dir))) {
            String receiver = "http://127.0.0.1:" + PipelineServices.port(ingest) + "/webhooks/hooked-music";
            assertThat(post(receiver, first, created("m-1", "One")).statusCode()).as("not defined yet").isEqualTo(404);

            HttpResponse<String> put = live.put("hooked-music", definition(api.port(), firstFile));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            await("the definition's webhooks are received").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> post(receiver, first, created("m-1", "One")).statusCode() == 200);
            await("the record is in the main database").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(MainDbRows.names(live.database(), "music_items", "hooked-music"))
                            .isEqualTo(Map.of("m-1", "One")));

            HttpResponse<String> unmappable = post(receiver, first, event("music.updated",
                    "{\"id\": \"m-2\", \"name\": {\"not\": \"a string\"}, \"updatedAt\": \"2026-11-22T09:00:00Z\"}"));
            assertThat(unmappable.statusCode()).isEqualTo(400);
            assertThat(unmappable.body()).contains("unmappable-record").contains("name");
            Map<String, String> letter = lastDeadLetter(broker, "tributary.changes.music_items.dlt");
            assertThat(letter).containsEntry("tributary_dlt-field-path", "name").containsEntry("tributary_dlt-source", "hooked-music")
                    .containsEntry("tributary_dlt-origin", "WEBHOOK");
            assertThat(letter.get("value")).contains("\"id\": \"m-2\"");

            // the secret rotated through the API: the new one is accepted, the old one refused, without a restart
            put = live.put("hooked-music", definition(api.port(), secondFile));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            await("the rotated secret is in force").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> post(receiver, second, created("m-3", "Three")).statusCode() == 200);
            HttpResponse<String> stale = post(receiver, first, created("m-4", "Four"));
            assertThat(stale.statusCode()).isEqualTo(401);
            assertThat(stale.body()).doesNotContain(first.substring(6)).doesNotContain(second.substring(6));
            await("the record under the new secret arrives").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(MainDbRows.names(live.database(), "music_items", "hooked-music"))
                            .isEqualTo(Map.of("m-1", "One", "m-3", "Three")));

            assertThat(live.call("POST", live.source("hooked-music") + "/pause", "", "application/json").statusCode())
                    .isEqualTo(200);
            await("a paused source answers 503").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> post(receiver, second, created("m-5", "Five")).statusCode() == 503);
            assertThat(post(receiver, second, created("m-5", "Five")).headers().firstValue("Retry-After")).isPresent();

            assertThat(live.call("DELETE", live.source("hooked-music"), null, "application/json").statusCode())
                    .isEqualTo(204);
            await("a deleted source is unknown").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> post(receiver, second, created("m-5", "Five")).statusCode() == 404);
            assertThat(MainDbRows.names(live.database(), "music_items", "hooked-music")).doesNotContainKey("m-5");
        }
    }

    /** The last record of a dead-letter topic: its headers by name, and its value under {@code value}. */
    private static Map<String, String> lastDeadLetter(EmbeddedKafkaBroker broker, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
            await("read " + topic).atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            assertThat(records).as(topic).isNotEmpty();
            ConsumerRecord<String, String> last = records.get(records.size() - 1);
            Map<String, String> letter = new java.util.HashMap<>();
            last.headers().forEach(header -> letter.put(header.key(), new String(header.value(), StandardCharsets.UTF_8)));
            letter.put("value", last.value());
            return letter;
        }
    }

    private static String secret(String key) {
        return "whsec_" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String created(String id, String name) {
        return event("music.created", "{\"id\": \"" + id + "\", \"name\": \"" + name
                + "\", \"updatedAt\": \"2026-11-22T09:00:00Z\"}");
    }

    private static String event(String type, String data) {
        return "{\"type\": \"" + type + "\", \"timestamp\": \"2026-11-22T09:00:00Z\", \"data\": " + data + "}";
    }

    private HttpResponse<String> post(String url, String secret, String body) throws Exception {
        String id = "msg_" + UUID.randomUUID();
        long timestamp = Instant.now().getEpochSecond();
        String signature = new Webhook(secret).sign(id, timestamp, body);
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("webhook-id", id).header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String definition(int port, Path secret) {
        return MusicSourceYaml.of("hooked-music", port, "1h", "{path: /music}", """
                webhooks:
                  inbound:
                    scheme: standard-webhooks
                    secrets: ["${file:%s}"]
                    events: {"music.": music_items}
                """.formatted(secret));
    }
}
