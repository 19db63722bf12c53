package io.tributary.poller.rest.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventDeserializer;
import io.tributary.poller.PollerApplication;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The poller running a {@code rest} source from a definition file against a fake API (OAuth2, page numbers,
 * a 503 now and then) and a real Kafka broker: every mappable record is published at its version, the
 * one that cannot be mapped is on the dead-letter topic with its field and reason, a change made later
 * arrives on the next pass. An invalid definition stops the start with every problem and its JSON path.
 */
@EmbeddedKafka
class RestSourceIT {

    @TempDir
    static Path dir;
    static String brokers;

    @BeforeAll
    static void broker(EmbeddedKafkaBroker broker) {
        brokers = broker.getBrokersAsString();
    }

    @Test
    void publishesMappedRecordsAndDeadLettersTheUnmappableOne() throws Exception {
        Albums albums = new Albums(45, 19);
        Map<String, Object> broken = Albums.album("al-1020", Albums.BASE, new Random(2));
        broken.put("artist", Map.of("origin", Map.of("country", "BE"))); // no artist name
        albums.put(broken);
        int[] requests = {0};
        Path secret = Files.writeString(dir.resolve("client-secret"), "it-secret");
        try (FakeApi api = new FakeApi()) {
            List<String> tokens = new ArrayList<>();
            api.route("/oauth/token", request -> {
                synchronized (tokens) {
                    tokens.add("tok-" + tokens.size());
                    return FakeApi.Response.json(Map.of("access_token", tokens.get(tokens.size() - 1), "expires_in", 3600));
                }
            });
            api.route("/albums", request -> {
                synchronized (tokens) {
                    if (tokens.isEmpty() || !("Bearer " + tokens.get(tokens.size() - 1)).equals(request.header("Authorization"))) {
                        return FakeApi.Response.status(401);
                    }
                }
                return ++requests[0] % 4 == 0 ? FakeApi.Response.status(503) : albums.pageNumber().apply(request);
            });
            String auth = "{type: oauth2-client-credentials, tokenUrl: \"" + api.url() + "/oauth/token\", clientId: it, "
                    + "clientSecret: \"${file:" + secret + "}\"}";
            Path definition = TestSources.write(dir, "albums.yaml", TestSources.albums(api.url(), auth,
                    "{type: page-number, size: 10}", "{path: data, hasMore: meta.has_more}"));

            try (ConfigurableApplicationContext poller = start(definition, "albums-api");
                    KafkaConsumer<String, ChangeEvent> changes = consumer(new ChangeEventDeserializer());
                    KafkaConsumer<String, String> deadLetters = consumer(new StringDeserializer())) {
                changes.subscribe(List.of("tributary.changes.albums"));
                deadLetters.subscribe(List.of("tributary.changes.albums.dlt"));
                Map<String, ChangeEvent> latest = new TreeMap<>();
                List<ConsumerRecord<String, String>> letters = new ArrayList<>();
                List<String> expected = albums.ids().stream().filter(id -> !id.equals("al-1020")).toList();
                await("every mappable album on the topic").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    changes.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.value().key().externalId(), r.value()));
                    deadLetters.poll(Duration.ofMillis(50)).forEach(letters::add);
                    assertThat(latest.keySet()).containsExactlyElementsOf(expected);
                    assertThat(letters).isNotEmpty();
                });
                latest.forEach((id, event) -> assertThat(event.sourceVersion()).isEqualTo(albums.get(id).get("updatedAt")));
                ConsumerRecord<String, String> letter = letters.get(0);
                assertThat(letter.key()).isEqualTo("albums-api");
                assertThat(letter.value()).contains("\"id\":\"al-1020\"");
                assertThat(header(letter, DeadLetters.FIELD_PATH)).isEqualTo("artist");
                assertThat(header(letter, "kafka_dlt-exception-message")).startsWith("field 'artist'");

                Map<String, Object> changed = new LinkedHashMap<>(albums.get("al-1033"));
                changed.put("title", "Changed live");
                changed.put("updatedAt", albums.maxVersion() + 1000);
                albums.put(changed);
                await("the change on the next pass").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    changes.poll(Duration.ofMillis(200)).forEach(r -> latest.put(r.value().key().externalId(), r.value()));
                    assertThat(latest.get("al-1033").payload()).containsEntry("title", "Changed live");
                });
                assertThat(poller.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                        .get("tributary.poller.records.rejected").tags("source", "albums-api", "entity", "albums")
                        .counter().count()).isGreaterThanOrEqualTo(1.0);
            }
        }
    }

    @Test
    void anInvalidDefinitionStopsTheStartWithEveryProblemAndItsPath() throws Exception {
        Path definition = TestSources.write(dir, "broken.yaml", TestSources.albums("http://127.0.0.1:9", "{type: bearer, token: plain-text}",
                "{type: page-number, size: 10, pageParameter: p}", "{path: data}"));
        assertThatThrownBy(() -> start(definition, "albums-api"))
                .rootCause()
                .hasMessageContaining("broken.yaml")
                .hasMessageContaining("$.auth.token")
                .hasMessageContaining("$.entities[0].pagination.pageParameter")
                .hasMessageNotContaining("plain-text");
    }

    @Test
    void theSourceIdMustBeTheDefinitions() throws Exception {
        Path definition = TestSources.write(dir, "other.yaml", TestSources.albums("http://127.0.0.1:9", "{type: none}",
                "{type: none}", "{path: $}"));
        assertThatThrownBy(() -> start(definition, "another-id"))
                .rootCause().hasMessageContaining("'another-id' must be the id of its definition")
                .hasMessageContaining("'albums-api'");
    }

    private static ConfigurableApplicationContext start(Path definition, String id) {
        return PollerApplication.builder().properties(
                "server.port=0",
                "spring.kafka.bootstrap-servers=" + brokers,
                "tributary.poller.topics.partitions=1",
                "tributary.poller.sources[0].id=" + id,
                "tributary.poller.sources[0].kind=rest",
                "tributary.poller.sources[0].definition=" + definition).run();
    }

    private static <V> KafkaConsumer<String, V> consumer(org.apache.kafka.common.serialization.Deserializer<V> values) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "rest-it-" + values.getClass().getSimpleName(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500), new StringDeserializer(), values);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
