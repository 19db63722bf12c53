package io.tributary.poller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventDeserializer;
import io.tributary.model.ChangeKey;
import io.tributary.model.ChangeTopics;
import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The poller against the real simulator (with injected 429s and 5xx) and a real Kafka broker: every
 * record arrives at its current version; after a stop, changes and a restart, it resumes from the
 * checkpoint topic.
 */
@EmbeddedKafka
class PollerIT {

    private static final List<String> ENTITIES = List.of("users", "sections", "topics", "messages");
    private static final String CHECKPOINTS = "tributary.poller.checkpoints";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    static String brokers;
    static ConfigurableApplicationContext simulator;
    static ForumStore store;
    static ForumMutator mutator;

    /** Latest event per key, per entity, as consumed from the change topics. */
    private final Map<String, Map<String, ChangeEvent>> latest = new HashMap<>();
    private final Map<String, Integer> received = new HashMap<>();

    @BeforeAll
    static void startSimulator(EmbeddedKafkaBroker broker) {
        brokers = broker.getBrokersAsString();
        simulator = ForumSimulatorApplication.builder().properties(
                "server.port=0",
                "forum-simulator.database=" + dir.resolve("forum.db"),
                "forum-simulator.seed.users=120",
                "forum-simulator.seed.sections=4",
                "forum-simulator.seed.topics=60",
                "forum-simulator.seed.messages=400",
                "forum-simulator.faults.error-rate=0.1",
                "forum-simulator.faults.rate-limit-per-second=60").run();
        store = simulator.getBean(ForumStore.class);
        mutator = simulator.getBean(ForumMutator.class);
    }

    @AfterAll
    static void stopSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void publishesEveryRecordThenResumesFromTheCheckpointTopic() throws Exception {
        try (KafkaConsumer<String, ChangeEvent> changes = changeConsumer()) {
            changes.subscribe(ENTITIES.stream().map(ChangeTopics::forEntity).toList());

            try (ConfigurableApplicationContext poller = startPoller()) {
                await("every record on its topic").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> {
                            drain(changes);
                            ENTITIES.forEach(this::assertTopicMatchesSource);
                        });
                ENTITIES.forEach(entity -> assertThat(latest.get(entity)).hasSize((int) store.count(entity)));
                await("checkpoints at the end of each listing").atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> ENTITIES.forEach(this::assertCheckpointAtEnd));
                assertStatusShowsTheSource(poller);
            }

            Instant stoppedAt = Instant.now();
            mutator.update("messages", 20);
            List<?> bulk = mutator.bulkUpdate("users", 70);
            mutator.create("topics", 5);
            mutator.delete("messages", 5);
            assertThat(bulk).hasSize(70);
            received.clear();

            try (ConfigurableApplicationContext poller = startPoller()) {
                await("the changes made while stopped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> {
                            drain(changes);
                            ENTITIES.forEach(this::assertTopicMatchesSource);
                        });
                await("checkpoints moved to the new ends").atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> ENTITIES.forEach(this::assertCheckpointAtEnd));
            }
            // Resumed from the checkpoints: no collection was read again from the beginning.
            assertThat(received.getOrDefault("messages", 0)).isLessThan(200);
            assertThat(received.getOrDefault("sections", 0)).isLessThan(4);
            assertThat(latest.get("messages").values()).anyMatch(event -> event.observedAt().isAfter(stoppedAt));
        }
    }

    private ConfigurableApplicationContext startPoller() {
        String port = simulator.getEnvironment().getProperty("local.server.port");
        return PollerApplication.builder().properties(
                "server.port=0",
                "spring.kafka.bootstrap-servers=" + brokers,
                "tributary.poller.sources[0].id=forum-sim",
                "tributary.poller.sources[0].kind=forum-rest",
                "tributary.poller.sources[0].base-url=http://127.0.0.1:" + port,
                "tributary.poller.sources[0].poll-interval=200ms",
                // Small pages: the 70-user bulk update is a tie group larger than a page.
                "tributary.poller.sources[0].per-page=20",
                "tributary.poller.sources[0].retry.min-backoff=20ms",
                "tributary.poller.sources[0].retry.max-backoff=200ms").run();
    }

    /** GET /status: the source, its kind, per entity a cursor, a last poll and what it published. */
    private void assertStatusShowsTheSource(ConfigurableApplicationContext poller) throws Exception {
        String port = poller.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/status")).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode source = JSON.readTree(response.body()).get("sources").get(0);
        assertThat(source.get("id").stringValue()).isEqualTo("forum-sim");
        assertThat(source.get("kind").stringValue()).isEqualTo("forum-rest");
        assertThat(source.get("errors").isArray()).isTrue();
        for (String entity : ENTITIES) {
            JsonNode status = source.get("entities").get(entity);
            assertThat(status.get("cursor").get("last_id").stringValue()).as(entity).isNotEmpty();
            assertThat(status.get("lastPollAt").stringValue()).as(entity).isNotEmpty();
            assertThat(status.get("recordsPublished").asLong()).as(entity).isGreaterThanOrEqualTo(store.count(entity));
        }
    }

    /** Every live record of the simulator is on the topic, at its current version and content. */
    private void assertTopicMatchesSource(String entity) {
        Map<String, ChangeEvent> events = latest.getOrDefault(entity, Map.of());
        store.forEach(entity, record -> {
            String id = Objects.requireNonNull((String) record.get("id"));
            ChangeEvent event = events.get(new ChangeKey("forum-sim", id).encode());
            assertThat(event).as("%s %s", entity, id).isNotNull();
            Map<String, Object> expected = new LinkedHashMap<>(record);
            expected.remove("id");
            assertThat(event.payload()).as("%s %s", entity, id).isEqualTo(expected);
            assertThat(event.sourceVersion()).isEqualTo(Instant.parse((String) record.get("updated_at")).toEpochMilli());
        });
    }

    /** The last checkpoint of the entity points at the last record of its listing. */
    private void assertCheckpointAtEnd(String entity) {
        String[] last = {"", ""};
        store.forEach(entity, record -> {
            String updatedAt = (String) record.get("updated_at");
            String id = (String) record.get("id");
            if (updatedAt.compareTo(last[0]) > 0 || updatedAt.equals(last[0]) && id.compareTo(last[1]) > 0) {
                last[0] = updatedAt;
                last[1] = id;
            }
        });
        JsonNode checkpoint = readCheckpoints().get("forum-sim/" + entity);
        assertThat(checkpoint).as("checkpoint of %s", entity).isNotNull();
        // path(): an earlier checkpoint may lack them (the start has none); a failed assertion, not an NPE, lets await retry
        assertThat(checkpoint.path("updated_at").asString()).isEqualTo(last[0]);
        assertThat(checkpoint.path("last_id").asString()).isEqualTo(last[1]);
    }

    private Map<String, JsonNode> readCheckpoints() {
        Map<String, JsonNode> checkpoints = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            var partitions = consumer.partitionsFor(CHECKPOINTS).stream()
                    .map(info -> new org.apache.kafka.common.TopicPartition(CHECKPOINTS, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    checkpoints.put(record.key(), JSON.readTree(record.value()));
                }
            }
        }
        return checkpoints;
    }

    private void drain(KafkaConsumer<String, ChangeEvent> consumer) {
        for (ConsumerRecord<String, ChangeEvent> record : consumer.poll(Duration.ofMillis(100))) {
            ChangeEvent event = record.value();
            assertThat(record.key()).isEqualTo(event.key().encode());
            received.merge(event.entity(), 1, Integer::sum);
            latest.computeIfAbsent(event.entity(), e -> new HashMap<>())
                    .merge(record.key(), event, (old, now) -> now.sourceVersion() >= old.sourceVersion() ? now : old);
        }
    }

    private static KafkaConsumer<String, ChangeEvent> changeConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "poller-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500), new StringDeserializer(), new ChangeEventDeserializer());
    }
}
