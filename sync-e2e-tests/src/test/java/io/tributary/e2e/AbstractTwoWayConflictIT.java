package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.model.outbound.OutboundTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;

/**
 * Both sides change the same item, end to end, once per conflict policy (decision 0025's worked examples; a source
 * per policy, the example definition with its {@code sync.conflict} changed). The source's edits are made while its
 * API is down for the pipeline (someone at the source still edits), so neither side has seen the other's change when
 * the outage ends. Each test ends with both sides holding the same items, the product's verify finding no drift,
 * and nothing more sent. Run on SQLite ({@link SqliteTwoWayConflictIT}) and PostgreSQL
 * ({@link PostgresTwoWayConflictIT}).
 */
abstract class AbstractTwoWayConflictIT extends AbstractTwoWayIT {

    /** The policies, each a source of its own. */
    enum Policy {
        LAST_WRITER_WINS("music-lww", "last-writer-wins"),
        SOURCE_WINS("music-source-wins", "source-wins"),
        LOCAL_WINS("music-local-wins", "local-wins");

        final String source;
        final String conflict;

        Policy(String source, String conflict) {
            this.source = source;
            this.conflict = conflict;
        }
    }

    @Override
    protected List<TwoWayPipeline.Source> sources() {
        return Arrays.stream(Policy.values()).map(p -> new TwoWayPipeline.Source(p.source, p.conflict, false)).toList();
    }

    /**
     * Item A is edited at the source, then locally; item B locally, then at the source. Last-writer-wins keeps A's
     * local edit and B's source edit; source-wins both source edits (the local rows take them by polling);
     * local-wins both local edits (the source takes them by the pushes, the rows keep them).
     */
    @ParameterizedTest
    @EnumSource(Policy.class)
    void whenBothSidesEditAnItemThePolicyDecidesOnBothSides(Policy policy) {
        MusicFarSide music = pipeline.side(policy.source);
        long a = itemFromTheSource(music, "A");
        long b = itemFromTheSource(music, "B");
        String aId = rows.externalId(a);
        String bId = rows.externalId(b);
        Map<String, Double> before = pipeline.deliveries(policy.source);

        music.outage("status=503");
        awaitClockPasses(music.edit(aId, "A (source, earlier)"));
        rows.rename(a, "A (local, later)");
        rows.rename(b, "B (local, earlier)");
        awaitClockPasses(Instant.now());
        music.edit(bId, "B (source, later)");
        music.endOutage();

        String expectedA = policy == Policy.SOURCE_WINS ? "A (source, earlier)" : "A (local, later)";
        String expectedB = policy == Policy.LOCAL_WINS ? "B (local, earlier)" : "B (source, later)";
        await(policy.conflict + " decides on both sides").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    assertThat(music.names()).containsEntry(aId, expectedA).containsEntry(bId, expectedB);
                    assertThat(rows.state(a).name()).isEqualTo(expectedA);
                    assertThat(rows.state(b).name()).isEqualTo(expectedB);
                });
        assertSettled(music);
        Map<String, Double> outcomes = delta(pipeline.deliveries(policy.source), before);
        int pushed = switch (policy) {
            case LAST_WRITER_WINS -> 1;
            case SOURCE_WINS -> 0;
            case LOCAL_WINS -> 2;
        };
        assertThat(outcomes.getOrDefault("update/delivered", 0.0)).as("local edits pushed").isEqualTo(pushed);
        assertThat(outcomes.getOrDefault("update/conflict-dropped", 0.0)).as("local edits dropped").isEqualTo(2 - pushed);
    }

    /**
     * A delete against an edit (decisions 0025, 0033). C: edited at the source, then deleted locally; D: deleted
     * locally, then edited at the source; E: deleted at the source, then edited locally. A pushed delete removes the
     * item at the source; a dropped one leaves the source's edit, and the row comes back live with it. A delete at
     * the source is final whatever the policy: the edit is dropped (last-writer-wins and source-wins read the record
     * first and find it gone) or dead-lettered with the source's 404 (local-wins pushes without reading), and
     * reconciliation then deletes the row.
     */
    @ParameterizedTest
    @EnumSource(Policy.class)
    void aDeleteAgainstAnEditFollowsThePolicyOnBothSides(Policy policy) {
        MusicFarSide music = pipeline.side(policy.source);
        long c = itemFromTheSource(music, "C");
        long d = itemFromTheSource(music, "D");
        long e = itemFromTheSource(music, "E");
        String cId = rows.externalId(c);
        String dId = rows.externalId(d);
        String eId = rows.externalId(e);
        Map<String, Double> before = pipeline.deliveries(policy.source);

        music.outage("status=503");
        awaitClockPasses(music.edit(cId, "C (source, earlier)"));
        rows.markDeleted(c);
        rows.markDeleted(d);
        awaitClockPasses(Instant.now());
        music.edit(dId, "D (source, later)");
        music.delete(eId);
        rows.rename(e, "E (local, after the source's delete)");
        music.endOutage();

        boolean cDeleted = policy != Policy.SOURCE_WINS;
        boolean dDeleted = policy == Policy.LOCAL_WINS;
        String eOutcome = policy == Policy.LOCAL_WINS ? "update/dead-lettered" : "update/conflict-dropped";
        await(policy.conflict + ": the deletes and the source's edits decided on both sides").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    assertDeletedOrLive(music, c, cId, cDeleted, "C (source, earlier)");
                    assertDeletedOrLive(music, d, dId, dDeleted, "D (source, later)");
                    assertThat(delta(pipeline.deliveries(policy.source), before)).containsEntry(eOutcome, 1.0);
                });
        assertThat(rows.state(e).deleted()).as("E: the local edit did not bring it back").isFalse();
        await("E: reconciliation deletes the row the source deleted").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    reconcile();
                    return rows.state(e).deleted();
                });
        assertThat(music.names()).doesNotContainKey(eId);
        if (policy == Policy.LOCAL_WINS) {
            assertThat(deadLetterReason(policy.source + ":" + e)).as("E's edit, dead-lettered with the reason")
                    .contains("does not exist at the source (404)");
        }
        assertSettled(music);
        Map<String, Double> outcomes = delta(pipeline.deliveries(policy.source), before);
        int deletesPushed = (cDeleted ? 1 : 0) + (dDeleted ? 1 : 0);
        assertThat(outcomes.getOrDefault("delete/delivered", 0.0)).as("local deletes pushed").isEqualTo(deletesPushed);
        assertThat(outcomes.getOrDefault("delete/conflict-dropped", 0.0)).as("local deletes dropped, rows live again")
                .isEqualTo(2 - deletesPushed);
    }

    private void assertDeletedOrLive(MusicFarSide music, long row, String id, boolean deleted, String sourceName) {
        TwoWayRows.State state = rows.state(row);
        if (deleted) {
            assertThat(music.names()).as("the delete reached the source").doesNotContainKey(id);
            assertThat(state.deleted()).isTrue();
        } else {
            assertThat(music.names()).as("the source kept its edit").containsEntry(id, sourceName);
            assertThat(state.deleted()).as("the dropped delete was undone").isFalse();
            assertThat(state.name()).as("the row took the source's edit").isEqualTo(sourceName);
        }
    }

    /** Both sides equal, and they stay so: verify finds no drift, polls bring nothing new, nothing more is sent. */
    private void assertSettled(MusicFarSide music) {
        awaitBothSidesEqual(music);
        MusicFarSide.Stats calls = music.stats();
        pipeline.awaitPollsApplied(music.sourceId());
        assertThat(rows.live(music.sourceId())).isEqualTo(music.names());
        assertThat(music.stats().writeCalls()).as("nothing more sent").isEqualTo(calls.writeCalls());
        assertThat(verify(music.sourceId()).path("drift").asBoolean(true)).as("verify finds no drift").isFalse();
    }

    private static Map<String, Double> delta(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> delta = new java.util.TreeMap<>(after);
        before.forEach((key, count) -> delta.merge(key, -count, Double::sum));
        delta.values().removeIf(count -> count == 0);
        return delta;
    }

    /** The {@code kafka_dlt-exception-message} of the dead-lettered change keyed {@code key}. */
    private static @Nullable String deadLetterReason(String key) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafkaCondition.getBroker().getBrokersAsString());
        String topic = OutboundTopics.deadLetterOf(OutboundTopics.forEntity("music_items"));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            String[] reason = {null};
            await("the dead-letter topic read").atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        reason[0] = StreamSupport.stream(record.headers().headers("kafka_dlt-exception-message")
                                .spliterator(), false).findFirst()
                                .map(h -> new String(h.value(), StandardCharsets.UTF_8)).orElse("");
                    }
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            return reason[0];
        }
    }
}
