package io.tributary.simulator.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.simulator.content.ForumChange.Kind;
import io.tributary.simulator.store.ForumCollection;
import io.tributary.simulator.store.ForumStore;
import io.tributary.simulator.store.SimulatorState;
import io.tributary.simulator.store.SqliteDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForumMutatorTest {

    SqliteDatabase db;
    ForumStore store;
    SimulatorState state;
    ForumMutator mutator;
    final List<ForumChange> published = new ArrayList<>();

    @BeforeEach
    void seed(@TempDir Path dir) {
        SeedProperties seed = new SeedProperties(3, 5, 3, 20, 400, 2, false,
                Instant.parse("2026-11-01T00:00:00Z"), Duration.ofDays(5));
        db = SqliteDatabase.open(dir.resolve("forum.db"));
        IdScheme ids = new IdScheme(seed.randomSeed());
        ForumGenerator.seedIfEmpty(db, seed, ids);
        store = new ForumStore(db);
        state = SimulatorState.load(db, Clock.systemUTC());
        ForumChangeFeed feed = new ForumChangeFeed();
        feed.subscribe(published::add);
        mutator = new ForumMutator(db, state, ids, feed, new SimpleMeterRegistry(), seed,
                new MutationProperties(false, 20, new MutationProperties.Mix(1, 1, 1, 1), 150));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void bulkUpdateSharesOneUpdatedAtAboveEveryPreviousValue() {
        long before = state.maxIssued();
        Map<Object, Object> previous = new HashMap<>();
        store.forEach("messages", m -> previous.put(m.get("id"), m.get("updated_at")));

        List<ForumChange> changes = mutator.bulkUpdate("messages");

        assertThat(changes).hasSize(150).extracting(ForumChange::kind).containsOnly(Kind.UPDATED);
        assertThat(changes).extracting(ForumChange::id).doesNotHaveDuplicates();
        assertThat(changes).extracting(ForumChange::at).containsOnly(changes.get(0).at());
        assertThat(changes.get(0).at().toEpochMilli()).isGreaterThanOrEqualTo(before);
        String at = ForumStore.formatMillis(changes.get(0).at().toEpochMilli());
        List<Map<String, Object>> stored = new ArrayList<>();
        store.forEach("messages", m -> {
            if (at.equals(m.get("updated_at"))) {
                stored.add(m);
            }
        });
        assertThat(stored).hasSize(150);
        assertThat(stored).allSatisfy(m -> assertThat((String) m.get("updated_at"))
                .isGreaterThan((String) previous.get(m.get("id"))));
        assertThat(published).containsExactlyElementsOf(changes);
    }

    @Test
    void perRecordUpdatedAtStrictlyIncreasesAndTheClockNeverGoesBack() {
        Map<String, List<Instant>> history = new HashMap<>();
        Instant last = Instant.EPOCH;
        for (int i = 0; i < 200; i++) { // 5 users updated 200 times, many within one millisecond
            for (ForumChange change : mutator.update("users", 1)) {
                history.computeIfAbsent(change.id(), k -> new ArrayList<>()).add(change.at());
                assertThat(change.at()).isAfterOrEqualTo(last);
                assertThat(change.record()).containsEntry("updated_at", ForumStore.formatMillis(change.at().toEpochMilli()));
                last = change.at();
            }
        }
        for (ForumChange change : mutator.bulkUpdate("users", 5)) {
            history.get(change.id()).add(change.at());
        }
        assertThat(history).hasSize(5);
        history.values().forEach(times -> assertThat(times).isSortedAccordingTo(Instant::compareTo)
                .doesNotHaveDuplicates());
    }

    @Test
    void singlesRunInOneTransactionAndEachChangeKeepsItsOwnUpdatedAt() {
        long before = state.maxIssued();
        List<ForumMutator.Single> operations = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            operations.add(ForumMutator.Single.values()[i % 3]);
        }

        List<ForumChange> changes = mutator.singles(operations);

        assertThat(changes).extracting(ForumChange::kind).contains(Kind.CREATED, Kind.UPDATED, Kind.DELETED);
        assertThat(changes.size()).as("one change per operation, plus parents a create needed").isGreaterThanOrEqualTo(60);
        Map<String, ForumChange> last = new HashMap<>();
        for (ForumChange change : changes) {
            assertThat(change.at().toEpochMilli()).isGreaterThanOrEqualTo(before);
            ForumChange previous = last.put(change.collection().path() + "/" + change.id(), change);
            if (previous != null && change.kind() != Kind.DELETED) {
                assertThat(change.at()).as("a record changed twice in one tick").isAfter(previous.at());
            }
        }
        for (ForumChange change : last.values()) {
            assertThat(store.find(change.collection().path(), change.id())).as(change.toString())
                    .satisfies(stored -> {
                        if (change.kind() == Kind.DELETED) {
                            assertThat(stored).isEmpty();
                        } else {
                            assertThat(stored).hasValueSatisfying(r -> assertThat(r).containsEntry("updated_at",
                                    ForumStore.formatMillis(change.at().toEpochMilli())));
                        }
                    });
        }
        assertThat(published).containsExactlyElementsOf(changes);
    }

    @Test
    void deletedRecordsAreGoneAndIdsAreNeverReused() {
        Set<String> everSeen = new HashSet<>();
        for (ForumCollection c : ForumCollection.values()) {
            store.forEach(c.path(), r -> everSeen.add(c.path() + "/" + r.get("id")));
        }
        long messages = store.count("messages");

        List<ForumChange> deleted = mutator.delete("messages", 10);

        assertThat(deleted).hasSize(10).allSatisfy(d -> {
            assertThat(d.kind()).isEqualTo(Kind.DELETED);
            assertThat(d.record()).isNull();
            assertThat(store.find("messages", d.id())).isEmpty();
        });
        assertThat(store.count("messages")).isEqualTo(messages - 10);
        List<ForumChange> created = mutator.create(300);
        assertThat(created).hasSizeGreaterThanOrEqualTo(300);
        assertThat(created).extracting(c -> c.collection().path() + "/" + c.id())
                .doesNotHaveDuplicates().doesNotContainAnyElementsOf(everSeen);
        assertThat(created).extracting(ForumChange::collection).contains(ForumCollection.TOPICS, ForumCollection.MESSAGES);
    }

    @Test
    void createdRecordsReferenceLiveOrNewRecordsAndRepliesRespectTheMaximumDepth() {
        List<ForumChange> created = mutator.create("messages", 400);
        assertThat(created).hasSize(400);
        Map<Object, Map<String, Object>> messages = new HashMap<>();
        store.forEach("messages", m -> messages.put(m.get("id"), m));
        Set<Object> topics = new HashSet<>();
        store.forEach("topics", t -> topics.add(t.get("id")));
        int replies = 0;
        for (ForumChange change : created) {
            Map<String, Object> m = change.record();
            assertThat(topics).contains(m.get("topic_id"));
            int depth = 0;
            for (Map<String, Object> cur = m; cur.get("parent_id") != null; cur = messages.get(cur.get("parent_id"))) {
                assertThat(messages.get(cur.get("parent_id")).get("topic_id")).isEqualTo(cur.get("topic_id"));
                depth++;
            }
            assertThat(depth).isLessThanOrEqualTo(2);
            replies += depth > 0 ? 1 : 0;
        }
        assertThat(replies).isPositive();
    }

    @Test
    void stateSurvivesAReload() {
        List<ForumChange> changes = mutator.create("users", 3);
        mutator.delete("users", 8); // delete everything, including the newest
        SimulatorState reloaded = SimulatorState.load(db, Clock.systemUTC());
        assertThat(reloaded.maxIssued()).isGreaterThanOrEqualTo(changes.get(2).at().toEpochMilli());
        assertThat(reloaded.nextSequence(ForumCollection.USERS)).isEqualTo(8);
    }
}
