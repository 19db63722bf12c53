package io.tributary.writer.consume;

import static io.tributary.writer.TestEvents.delete;
import static io.tributary.writer.TestEvents.fields;
import static io.tributary.writer.TestEvents.message;
import static io.tributary.writer.TestEvents.section;
import static io.tributary.writer.TestEvents.topic;
import static io.tributary.writer.TestEvents.upsert;
import static io.tributary.writer.TestEvents.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.Operation;
import io.tributary.writer.WriterDbFixture;
import io.tributary.writer.apply.ApplyResult;
import io.tributary.writer.apply.Outcome;
import io.tributary.writer.entity.InvalidChangeEventException;
import io.tributary.writer.progress.WriterMetrics;
import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.tombstone.TombstonePurger;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * The writer's behaviour against a real main database, written once and run per dialect (like Debezium's
 * {@code AbstractJdbcSinkInsertModeTest}): {@code SqliteWriterBehaviourTest} (a temp file) and
 * {@code PostgresWriterBehaviourIT} (the machine's PostgreSQL). Version guard under every ordering,
 * duplicates and batching; placeholders filled in place; stale never overwrites; delete never resurrected;
 * references always resolve (foreign-key integrity); invalid and refused records named by the listener;
 * deletes do not cascade; tombstone retention (docs/decisions/0011).
 */
abstract class AbstractWriterBehaviourTest {

    WriterDbFixture db;
    ChangeEventListener listener;

    /** A migrated, EMPTY main database of the dialect under test. */
    protected abstract WriterDbFixture openDatabase() throws Exception;

    /** Makes the database itself refuse (a trigger raising an error) any section titled {@code title}. */
    protected abstract void refuseSectionsTitled(String title) throws SQLException;

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        listener = new ChangeEventListener(new CurrentCatalog(db.catalog), db.applier, db.database.dialect(),
                new WriterMetrics(new SimpleMeterRegistry(), db.catalog),
                new ReceivedRecords(new SimpleMeterRegistry(), "writerListenerContainer-0", "tributary-writer"));
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void upsertsConvergeOnTheHighestVersionInEveryOrderWithDuplicatesAndBatchings() throws SQLException {
        // v1, v2, v3 and duplicates of v2 and v3: 5!/(2!2!) = 30 distinct orders, each in 3 batchings.
        List<String> plan = List.of("u1", "u2", "u2", "u3", "u3");
        Map<String, Object> expected = null;
        int record = 0;
        for (List<String> order : distinctPermutations(plan)) {
            for (int batchSize : new int[] {1, 2, plan.size()}) {
                String id = "s" + record++;
                applyInBatches(eventsFor(id, order), batchSize);
                Map<String, Object> row = db.content("sections", id);
                if (expected == null) {
                    expected = row;
                }
                assertThat(row).as("order %s in batches of %d", order, batchSize).isEqualTo(expected);
            }
        }
        assertThat(expected).containsEntry("source_version", 3L).containsEntry("title", "title v3")
                .containsEntry("deleted", 0L);
        assertThat(record).isEqualTo(90);
    }

    @Test
    void aDeleteWinsInEveryOrderWithDuplicatesAndBatchings() throws SQLException {
        // v1, v2, v3, a delete at v4, and duplicates of v3 and of the delete: 7!/(2!2!2!) = 630 orders.
        List<String> plan = List.of("u1", "u2", "u3", "u3", "d4", "d4", "u2");
        int record = 0;
        for (List<String> order : distinctPermutations(plan)) {
            for (int batchSize : new int[] {1, 3, plan.size()}) {
                String id = "s" + record++;
                applyInBatches(eventsFor(id, order), batchSize);
                Map<String, Object> row = db.content("sections", id);
                assertThat(row).as("order %s in batches of %d", order, batchSize)
                        .containsEntry("deleted", 1L)
                        .containsEntry("source_version", 4L);
            }
        }
        assertThat(record).isEqualTo(630 * 3);
    }

    @Test
    void aDeleteIsNeverUndoneByANewerUpsertInAnyOrder() throws SQLException {
        // An upsert newer than the delete (a source that reports deletes with an older version): still deleted.
        List<String> plan = List.of("u1", "d2", "d2", "u3", "u5", "u5");
        int record = 0;
        for (List<String> order : distinctPermutations(plan)) {
            String id = "s" + record++;
            applyInBatches(eventsFor(id, order), 1);
            assertThat(db.content("sections", id)).as("order %s", order).containsEntry("deleted", 1L);
        }
        assertThat(record).isEqualTo(180);
    }

    @Test
    void aStaleUpsertNeverOverwrites() throws SQLException {
        db.apply(section("s1", 20, "new"));
        ApplyResult result = db.apply(section("s1", 10, "old"));
        ApplyResult replay = db.apply(section("s1", 20, "new but replayed with other content"));

        assertThat(result.count("sections", Operation.UPSERT, Outcome.STALE)).isEqualTo(1);
        assertThat(replay.count("sections", Operation.UPSERT, Outcome.STALE)).isEqualTo(1);
        assertThat(db.content("sections", "s1")).containsEntry("title", "new").containsEntry("source_version", 20L);
    }

    @Test
    void aDeleteIsFinalAndKeepsTheInternalIdAndFields() throws SQLException {
        db.apply(section("s1", 1, "kept"));
        long id = db.id("sections", "s1");

        ApplyResult deleted = db.apply(delete("sections", "s1", 2));
        ApplyResult resurrection = db.apply(section("s1", 99, "resurrected?"));
        ApplyResult replayedDelete = db.apply(delete("sections", "s1", 2));

        assertThat(deleted.count("sections", Operation.DELETE, Outcome.APPLIED)).isEqualTo(1);
        assertThat(resurrection.count("sections", Operation.UPSERT, Outcome.STALE)).isEqualTo(1);
        assertThat(replayedDelete.count("sections", Operation.DELETE, Outcome.STALE)).isEqualTo(1);
        assertThat(db.id("sections", "s1")).isEqualTo(id);
        assertThat(db.content("sections", "s1")).containsEntry("deleted", 1L).containsEntry("source_version", 2L)
                .containsEntry("title", "kept");
    }

    @Test
    void aDeleteOfAnUnknownRecordLeavesATombstoneThatNoUpsertRevives() throws SQLException {
        db.apply(delete("users", "ghost", 7));
        db.apply(user("ghost", 8, "boo"));

        assertThat(db.content("users", "ghost")).containsEntry("deleted", 1L).containsEntry("source_version", 7L)
                .containsEntry("name", null);
    }

    @Test
    void aMessageBeforeItsTopicAcrossBatchesPointsAtThePlaceholderThatTheTopicFillsInPlace() throws SQLException {
        ApplyResult first = db.apply(message("m1", 5, "t1", "u1", null, "hello"));

        assertThat(first.placeholdersCreated()).isEqualTo(2);
        Map<String, Object> placeholder = db.content("topics", "t1");
        assertThat(placeholder).containsEntry("source_version", 0L).containsEntry("title", null)
                .containsEntry("deleted", 0L);
        long topicId = db.id("topics", "t1");
        assertThat(db.row("messages", "m1")).containsEntry("topic_id", topicId)
                .containsEntry("user_id", db.id("users", "u1")).containsEntry("parent_id", null);

        db.apply(topic("t1", 3, "s1", "u1", "Crypto"), user("u1", 2, "ann"));

        assertThat(db.id("topics", "t1")).isEqualTo(topicId);
        assertThat(db.content("topics", "t1")).containsEntry("title", "Crypto").containsEntry("source_version", 3L)
                .containsEntry("section_id", db.id("sections", "s1"))
                .containsEntry("user_id", db.id("users", "u1"));
        assertThat(db.row("messages", "m1")).containsEntry("topic_id", topicId);
        assertThat(db.content("users", "u1")).containsEntry("name", "ann");
        assertThat(db.query("SELECT COUNT(*) AS n FROM users")).containsExactly(Map.of("n", 1L));
        assertThat(db.danglingReferences()).isZero();
    }

    @Test
    void aReplyBeforeItsParentInOneBatchResolvesToTheParent() throws SQLException {
        // "a-reply" sorts before "b-parent", so the reply is written first, against a placeholder parent.
        db.apply(message("a-reply", 2, "t1", "u1", "b-parent", "re: hi"),
                message("b-parent", 1, "t1", "u1", null, "hi"),
                topic("t1", 1, "s1", "u1", "topic"));

        long parentId = db.id("messages", "b-parent");
        assertThat(db.row("messages", "a-reply")).containsEntry("parent_id", parentId)
                .containsEntry("topic_id", db.id("topics", "t1"));
        assertThat(db.content("messages", "b-parent")).containsEntry("body", "hi").containsEntry("source_version", 1L);
        assertThat(db.query("SELECT COUNT(*) AS n FROM messages")).containsExactly(Map.of("n", 2L));
        assertThat(db.query("SELECT COUNT(*) AS n FROM topics WHERE source_version = 0")).containsExactly(Map.of("n", 0L));
        assertThat(db.danglingReferences()).isZero();
    }

    @Test
    void aReplyBeforeItsParentAcrossBatchesKeepsPointingAtTheFilledPlaceholder() throws SQLException {
        db.apply(message("z-reply", 2, "t1", "u1", "a-parent", "re"));
        long placeholderId = db.id("messages", "a-parent");
        assertThat(db.content("messages", "a-parent")).containsEntry("source_version", 0L).containsEntry("body", null);

        db.apply(message("a-parent", 1, "t1", "u1", null, "root"));

        assertThat(db.id("messages", "a-parent")).isEqualTo(placeholderId);
        assertThat(db.row("messages", "z-reply")).containsEntry("parent_id", placeholderId);
        assertThat(db.content("messages", "a-parent")).containsEntry("body", "root").containsEntry("parent_id", null);
    }

    @Test
    void aReferenceToADeletedRecordPointsAtItsTombstone() throws SQLException {
        db.apply(delete("topics", "t-gone", 9));
        db.apply(message("m1", 10, "t-gone", "u1", null, "late message"));

        assertThat(db.row("messages", "m1")).containsEntry("topic_id", db.id("topics", "t-gone"));
        assertThat(db.content("topics", "t-gone")).containsEntry("deleted", 1L);
    }

    @Test
    void aDeletedTopicsMessagesAndADeletedMessagesRepliesStayLiveAndKeepPointingAtTheTombstones() throws SQLException {
        db.apply(topic("t1", 1, "s1", "u1", "topic"), message("m1", 2, "t1", "u1", null, "root"),
                message("m2", 3, "t1", "u1", "m1", "reply"), message("m3", 4, "t1", "u1", "m2", "reply to reply"));

        db.apply(delete("topics", "t1", 5), delete("messages", "m1", 6));

        // Mirrors the source: a delete tombstones its own row only; the source deletes children itself.
        assertThat(db.content("topics", "t1")).containsEntry("deleted", 1L);
        assertThat(db.content("messages", "m1")).containsEntry("deleted", 1L).containsEntry("body", "root");
        assertThat(db.content("messages", "m2")).containsEntry("deleted", 0L).containsEntry("body", "reply")
                .containsEntry("parent_id", db.id("messages", "m1")).containsEntry("topic_id", db.id("topics", "t1"));
        assertThat(db.content("messages", "m3")).containsEntry("deleted", 0L)
                .containsEntry("parent_id", db.id("messages", "m2"));
        // The application's view of a topic's live messages: its reads filter deleted = 0.
        assertThat(db.query("SELECT m.external_id AS id FROM messages m JOIN topics t ON m.topic_id = t.id"
                + " WHERE t.external_id = 't1' AND m.deleted = 0 ORDER BY m.external_id"))
                .extracting(r -> r.get("id")).containsExactly("m2", "m3");
        assertThat(db.danglingReferences()).isZero();
    }

    @Test
    void tombstonesOlderThanTheRetentionThatNothingReferencesArePurgedChildrenFirst() throws SQLException {
        db.apply(user("u1", 1, "ann"), section("s-live", 1, "live"), section("s-gone", 1, "gone"),
                topic("t-live", 1, "s-live", "u1", "live"), topic("t-gone", 1, "s-gone", "u1", "gone"),
                topic("t-parent", 1, "s-live", "u1", "deleted, its message lives"),
                message("m-kept", 1, "t-parent", "u1", null, "lives in a deleted topic"),
                message("m-root", 1, "t-live", "u1", null, "deleted, its reply lives"),
                message("m-reply", 2, "t-live", "u1", "m-root", "lives"),
                message("m-a", 1, "t-live", "u1", null, "deleted"),
                message("m-b", 2, "t-live", "u1", "m-a", "deleted reply of a deleted message"),
                message("m-waiting", 3, "t-live", "u-later", null, "references a placeholder"),
                section("s-recent", 1, "deleted recently"));
        db.apply(delete("sections", "s-gone", 2), delete("topics", "t-gone", 2), delete("topics", "t-parent", 2),
                delete("messages", "m-root", 3), delete("messages", "m-a", 3), delete("messages", "m-b", 3),
                delete("users", "u-ghost", 7));
        Instant now = Instant.now();
        // Age every tombstone so far past a 7-day retention; then one more delete, applied now.
        db.execute("UPDATE users SET synced_at = '2026-01-01T00:00:00.000Z' WHERE deleted = 1",
                "UPDATE sections SET synced_at = '2026-01-01T00:00:00.000Z' WHERE deleted = 1",
                "UPDATE topics SET synced_at = '2026-01-01T00:00:00.000Z' WHERE deleted = 1",
                "UPDATE messages SET synced_at = '2026-01-01T00:00:00.000Z' WHERE deleted = 1");
        db.apply(delete("sections", "s-recent", 2));
        TombstonePurger purger = new TombstonePurger(db.database, db.catalog, 2);

        Map<String, Long> purged = purger.purgeOlderThan(now.minus(Duration.ofDays(7)));

        // m-a and m-b in one run although m-b pointed at m-a; s-gone once t-gone, its only referrer, was gone.
        assertThat(purged).containsExactly(Map.entry("messages", 2L), Map.entry("topics", 1L),
                Map.entry("sections", 1L), Map.entry("users", 1L));
        for (String[] gone : new String[][] {{"messages", "m-a"}, {"messages", "m-b"}, {"topics", "t-gone"},
                {"sections", "s-gone"}, {"users", "u-ghost"}}) {
            assertThat(db.row(gone[0], gone[1])).as("%s %s", gone[0], gone[1]).isNull();
        }
        // Kept: tombstones something references, a recent tombstone, live rows and placeholders.
        assertThat(db.content("topics", "t-parent")).containsEntry("deleted", 1L);
        assertThat(db.content("messages", "m-root")).containsEntry("deleted", 1L);
        assertThat(db.content("sections", "s-recent")).containsEntry("deleted", 1L);
        assertThat(db.content("users", "u-later")).containsEntry("source_version", 0L);
        assertThat(db.query("SELECT external_id FROM messages WHERE deleted = 0 ORDER BY external_id"))
                .extracting(r -> r.get("external_id")).containsExactly("m-kept", "m-reply", "m-waiting");
        assertThat(db.danglingReferences()).isZero();
        assertThat(purger.purgeOlderThan(now.minus(Duration.ofDays(7)))).as("a second run")
                .containsOnly(Map.entry("messages", 0L), Map.entry("topics", 0L), Map.entry("sections", 0L),
                        Map.entry("users", 0L));

        // Once the live reply is deleted too and its tombstone has aged, the chain goes.
        db.apply(delete("messages", "m-reply", 4));
        db.execute("UPDATE messages SET synced_at = '2026-01-01T00:00:00.000Z' WHERE deleted = 1");
        assertThat(purger.purgeOlderThan(now.minus(Duration.ofDays(7)))).containsEntry("messages", 2L);
        assertThat(db.row("messages", "m-root")).isNull();
    }

    @Test
    void aPurgedTombstoneNoLongerRefusesAReplayedUpsertWhichIsWhyRetentionMustOutliveTheTopics() throws SQLException {
        db.apply(section("s1", 1, "old"));
        db.apply(delete("sections", "s1", 2));
        db.execute("UPDATE sections SET synced_at = '2026-01-01T00:00:00.000Z' WHERE deleted = 1");
        assertThat(db.apply(section("s1", 1, "replayed")).count("sections", Operation.UPSERT, Outcome.STALE))
                .as("refused while the tombstone exists").isEqualTo(1);

        new TombstonePurger(db.database, db.catalog, 1000).purgeOlderThan(Instant.now().minus(Duration.ofDays(7)));
        db.apply(section("s1", 1, "replayed"));

        assertThat(db.content("sections", "s1")).as("resurrected by a replay older than the retention")
                .containsEntry("deleted", 0L).containsEntry("title", "replayed");
    }

    @Test
    void duplicatesInOneBatchAreCollapsedAndCounted() throws SQLException {
        ApplyResult result = db.apply(section("s1", 1, "a"), section("s1", 3, "c"), section("s1", 2, "b"),
                section("s1", 3, "c"));

        assertThat(result.count("sections", Operation.UPSERT, Outcome.APPLIED)).isEqualTo(1);
        assertThat(result.count("sections", Operation.UPSERT, Outcome.DUPLICATE)).isEqualTo(3);
        assertThat(db.content("sections", "s1")).containsEntry("title", "c");
    }

    @Test
    void unicodeAndLongTextRoundTrip() throws SQLException {
        String body = "שלום 👋 \"quoted\" 'single'\nnew line " + "x".repeat(64 * 1024);
        db.apply(message("m1", 1, "t1", "u1", null, body));

        assertThat(db.content("messages", "m1")).containsEntry("body", body);
    }

    @Test
    void manyRowsAcrossStatementBoundariesAllLandWithTheirReferences() throws SQLException {
        // More rows than one multi-row statement carries, with a remainder; messages reference topics in the
        // same batch, half of them not yet present (placeholders), and every third one answers another.
        List<ChangeEvent> events = new ArrayList<>();
        for (int i = 0; i < 451; i++) {
            events.add(message(String.format("m%04d", i), 10 + i, "t" + (i % 7), "u" + (i % 5),
                    i % 3 == 0 && i > 0 ? String.format("m%04d", i - 1) : null, "body " + i));
        }
        for (int i = 0; i < 4; i++) {
            events.add(topic("t" + i, 3, "s1", "u1", "topic " + i));
        }
        ApplyResult first = db.apply(events);
        ApplyResult replay = db.apply(events);

        assertThat(first.count("messages", Operation.UPSERT, Outcome.APPLIED)).isEqualTo(451);
        assertThat(replay.count("messages", Operation.UPSERT, Outcome.STALE)).isEqualTo(451);
        assertThat(replay.count("topics", Operation.UPSERT, Outcome.STALE)).isEqualTo(4);
        // t4..t6, u0..u4, s1, and the 150 parents: a self-reference always goes through a placeholder (the
        // reply may be written before its parent), which the parent's upsert then fills in place.
        assertThat(first.placeholdersCreated()).isEqualTo(3 + 5 + 1 + 150);
        assertThat(db.query("SELECT COUNT(*) AS n FROM messages WHERE source_version = 0")).containsExactly(Map.of("n", 0L));
        assertThat(db.query("SELECT COUNT(*) AS n FROM messages WHERE source_version > 0")).containsExactly(Map.of("n", 451L));
        assertThat(db.row("messages", "m0450")).containsEntry("parent_id", db.id("messages", "m0449"))
                .containsEntry("topic_id", db.id("topics", "t2")).containsEntry("body", "body 450");
        assertThat(db.content("topics", "t5")).containsEntry("source_version", 0L);
        assertThat(db.danglingReferences()).isZero();
    }

    @Test
    void theDatabaseRefusesADanglingReferenceAndThatIsPermanent() {
        SQLException violation = catchThrowableOfType(SQLException.class, () -> db.execute(
                "INSERT INTO topics (source_id, external_id, source_version, synced_at, section_id)"
                        + " VALUES ('x', 'y', 1, 'now', 12345)"));

        assertThat((Throwable) violation).isNotNull();
        assertThat(db.database.dialect().isTransient(violation)).isFalse();
    }

    @Test
    void anInvalidRecordIsNamedAfterTheRecordsBeforeItAreCommitted() throws SQLException {
        List<ConsumerRecord<String, ChangeEvent>> batch = records(section("s1", 1, "one"),
                upsert("sections", "s2", 1, fields("title", 7)), section("s3", 1, "three"));

        BatchListenerFailedException failure = catchThrowableOfType(BatchListenerFailedException.class,
                () -> listener.onMessage(batch));

        assertThat(failure.getIndex()).isEqualTo(1);
        assertThat(failure.getCause()).isInstanceOf(InvalidChangeEventException.class)
                .hasMessageContaining("Invalid UPSERT of sections forum-sim:s2 v1: payload field 'title' must be a string");
        assertThat(titles()).containsExactly("one");
    }

    @Test
    void aRecordTheDatabaseRefusesIsIsolatedAndNamedAsPermanent() throws SQLException {
        refuseSectionsTitled("poison");
        List<ConsumerRecord<String, ChangeEvent>> batch = records(section("s1", 1, "one"), section("s2", 1, "poison"),
                section("s3", 1, "three"));

        BatchListenerFailedException failure = catchThrowableOfType(BatchListenerFailedException.class,
                () -> listener.onMessage(batch));

        assertThat(failure.getIndex()).isEqualTo(1);
        assertThat(failure.getCause()).isInstanceOf(PermanentApplyException.class)
                .hasMessageContaining("sections forum-sim:s2").hasMessageContaining("poisoned title");
        assertThat(titles()).containsExactly("one");
    }

    private static List<ConsumerRecord<String, ChangeEvent>> records(ChangeEvent... events) {
        List<ConsumerRecord<String, ChangeEvent>> records = new ArrayList<>();
        for (ChangeEvent event : events) {
            records.add(new ConsumerRecord<>(event.topic(), 0, records.size(), event.key().encode(), event));
        }
        return records;
    }

    private List<Object> titles() throws SQLException {
        return db.query("SELECT title FROM sections ORDER BY external_id").stream().map(r -> r.get("title")).toList();
    }

    private void applyInBatches(List<ChangeEvent> events, int batchSize) throws SQLException {
        for (int from = 0; from < events.size(); from += batchSize) {
            db.apply(events.subList(from, Math.min(events.size(), from + batchSize)));
        }
    }

    private static List<ChangeEvent> eventsFor(String id, List<String> order) {
        List<ChangeEvent> events = new ArrayList<>();
        for (String step : order) {
            long version = Long.parseLong(step.substring(1));
            events.add(step.charAt(0) == 'd' ? delete("sections", id, version) : section(id, version, "title v" + version));
        }
        return events;
    }

    private static Set<List<String>> distinctPermutations(List<String> items) {
        Set<List<String>> result = new LinkedHashSet<>();
        permute(new ArrayList<>(items), 0, result);
        return result;
    }

    private static void permute(List<String> items, int k, Set<List<String>> out) {
        if (k == items.size()) {
            out.add(List.copyOf(items));
            return;
        }
        Set<String> tried = new HashSet<>();
        for (int i = k; i < items.size(); i++) {
            if (tried.add(items.get(i))) {
                Collections.swap(items, k, i);
                permute(items, k + 1, out);
                Collections.swap(items, k, i);
            }
        }
    }
}
