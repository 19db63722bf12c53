package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.e2e.ForumComparison.RowState;
import io.tributary.ingest.WebhookIngestApplication;
import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventDeserializer;
import io.tributary.model.ChangeTopics;
import io.tributary.model.Operation;
import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumChange;
import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Webhooks plus polling, end to end, with the services' real code in one JVM: the simulator sends half of
 * its webhooks at most (the rest are lost), duplicates a third, delays each up to 800 ms (reordering) and
 * sends half of them thin (served by the poller's refresh consumer), while the poller polls only every 5 s.
 * Creates, updates and deletes are made; the run ends in zero differences, row by row.
 *
 * <p>Deletes: the contract's listings have no tombstones, so a deletion is observable only through a
 * delivered {@code *.deleted} webhook or a refresh that saw 404. Every record for which such a DELETE
 * reached Kafka must be deleted (or absent) in the main DB. A record whose delete webhook was lost stays
 * live in the main DB until reconciliation (issue 4): such rows are not counted as extra, and their number
 * is reported.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookSyncIT {

    private static final String SOURCE_ID = "forum-sim";
    private static final List<String> ENTITIES = ForumEntity.ALL.stream().map(ForumEntity::name).toList();

    @TempDir
    static Path dir;

    private EmbeddedKafkaKraftBroker kafka;
    private ConfigurableApplicationContext ingest;
    private ConfigurableApplicationContext simulator;
    private ConfigurableApplicationContext writer;
    private ConfigurableApplicationContext poller;
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
                "--forum-simulator.seed.users=200",
                "--forum-simulator.seed.sections=6",
                "--forum-simulator.seed.topics=300",
                "--forum-simulator.seed.messages=1500",
                "--forum-simulator.faults.error-rate=0.02",
                "--forum-simulator.webhooks.url=http://127.0.0.1:" + PipelineServices.port(ingest) + "/webhooks/" + SOURCE_ID,
                "--forum-simulator.webhooks.secret=" + secret,
                "--forum-simulator.webhooks.delivery-probability=0.5",
                "--forum-simulator.webhooks.duplicate-probability=0.3",
                "--forum-simulator.webhooks.max-delay=800ms",
                "--forum-simulator.webhooks.thin-probability=0.5",
                "--forum-simulator.webhooks.retry-backoff=50ms");
        Path mainDb = dir.resolve("tributary.db");
        writer = PipelineServices.writer(bootstrap, mainDb);
        poller = PipelineServices.poller(bootstrap, SOURCE_ID, simulator,
                "--tributary.poller.sources[0].poll-interval=5s",
                "--tributary.poller.sources[0].retry.min-backoff=20ms",
                "--tributary.poller.refresh.backoff=100ms");
        comparison = new ForumComparison(simulator.getBean(ForumStore.class), "jdbc:sqlite:" + mainDb, SOURCE_ID);
    }

    @AfterAll
    void stopEverything() {
        PipelineServices.stop(kafka, simulator, poller, ingest, writer);
    }

    @Test
    void lossyDuplicatedReorderedThinAndFullWebhooksPlusPollingEndInZeroDifferences() {
        await("initial sync").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(comparison::countsMatch);

        ForumMutator mutator = simulator.getBean(ForumMutator.class);
        Map<String, Set<String>> deletedAtSource = new HashMap<>();
        List<ForumChange> changes = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            changes.addAll(mutator.create(10));
            changes.addAll(mutator.update(25));
            changes.addAll(mutator.delete("messages", 2));
            changes.addAll(mutator.delete(1));
        }
        changes.stream().filter(change -> change.kind() == ForumChange.Kind.DELETED).forEach(change ->
                deletedAtSource.computeIfAbsent(change.collection().path(), e -> new HashSet<>()).add(change.id()));
        assertThat(changes).hasSizeGreaterThan(700);

        Map<String, Set<String>> deleteEvents = new HashMap<>();
        try (KafkaConsumer<String, ChangeEvent> consumer = deleteEventConsumer()) {
            consumer.subscribe(ENTITIES.stream().map(ChangeTopics::forEntity).toList());
            await("zero differences, row by row").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        List<SyncDifferences> differences = comparison.compareAll(deletedAtSource);
                        assertThat(differences).as(ForumComparison.describe(differences)).allMatch(SyncDifferences::none);
                    });
            await("every observed delete applied").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                    .untilAsserted(() -> {
                        for (ConsumerRecord<String, ChangeEvent> record : consumer.poll(Duration.ofMillis(200))) {
                            ChangeEvent event = record.value();
                            if (event.op() == Operation.DELETE) {
                                deleteEvents.computeIfAbsent(event.entity(), e -> new HashSet<>()).add(event.externalId());
                            }
                        }
                        int observed = 0;
                        for (Map.Entry<String, Set<String>> entry : deletedAtSource.entrySet()) {
                            for (String id : entry.getValue()) {
                                if (deleteEvents.getOrDefault(entry.getKey(), Set.of()).contains(id)) {
                                    observed++;
                                    assertThat(comparison.state(entry.getKey(), id)).as("%s %s", entry.getKey(), id)
                                            .isIn(RowState.DELETED, RowState.ABSENT);
                                }
                            }
                        }
                        assertThat(observed).as("deletes observed through webhooks or refreshes").isGreaterThan(10);
                    });
        }
        int deleted = deletedAtSource.values().stream().mapToInt(Set::size).sum();
        long unobserved = deletedAtSource.entrySet().stream().flatMap(e -> e.getValue().stream()
                .filter(id -> comparison.state(e.getKey(), id) == RowState.LIVE)).count();
        System.out.printf("WebhookSyncIT: %d changes, %d deletes at the source, %d still live in the main DB"
                + " (delete webhook lost: left to reconciliation, issue 4)%n", changes.size(), deleted, unobserved);

        // every path was exercised: full and thin webhooks, deletes, duplicates, refreshes by the poller
        MeterRegistry ingestMeters = ingest.getBean(MeterRegistry.class);
        for (String kind : List.of("upsert", "refresh", "delete")) {
            assertThat(ingestMeters.counter("tributary.ingest.webhooks", "source", SOURCE_ID, "outcome", "accepted",
                    "reason", kind).count()).as("accepted %s webhooks", kind).isPositive();
        }
        assertThat(ingestMeters.counter("tributary.ingest.webhooks", "source", SOURCE_ID, "outcome", "duplicate",
                "reason", "delivery-id-seen").count()).as("duplicates").isPositive();
        MeterRegistry pollerMeters = poller.getBean(MeterRegistry.class);
        assertThat(pollerMeters.find("tributary.poller.refresh").tag("outcome", "upsert").counters())
                .as("refreshes served").isNotEmpty().allMatch(c -> c.count() > 0);
        assertThat(simulator.getBean(MeterRegistry.class).counter("tributary.simulator.webhooks", "outcome", "lost")
                .count()).as("lost webhooks").isPositive();
    }

    private KafkaConsumer<String, ChangeEvent> deleteEventConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "webhook-sync-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ChangeEventDeserializer());
    }
}
