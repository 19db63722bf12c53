package io.tributary.writer.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.model.ChangeEvent;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.writer.WriterDbFixture;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: for a random event history over the four forum entities (references between them that change
 * from version to version, several upserts per record, sometimes a delete, sometimes only a delete), the
 * main database ends in the same state whether the history is applied
 * <ol>
 *   <li>in order, one event per batch (one transaction each), or</li>
 *   <li>shuffled across records and versions, with random duplicates, in random batch sizes, with
 *       random redelivery of batches already applied (a consumer that crashed before committing its
 *       offsets) and a final replay of a suffix of the stream (a group reset to an older offset);</li>
 * </ol>
 * and that state is the one the history defines (decision 0006): a record with a delete is deleted at the
 * delete's version, any other record holds its highest upsert, every field equal and every reference
 * resolving to the right external id; no placeholder is left and no reference dangles.
 *
 * <p>What is compared of a <em>deleted</em> row is its version and flag only: which fields a tombstone keeps
 * depends on what arrived before the delete (documented in the writer's README). For those the property
 * checked is weaker: the fields are all NULL (the delete came first) or exactly one upsert's fields.
 *
 * <p>A plain seeded {@code @ParameterizedTest} rather than a property-testing library: a failure names its
 * seed, and {@link #seeds()} narrowed to that seed reproduces it. (jqwik 1.10.1 resolves and its engine runs
 * under this build's JUnit 6 platform, but it prints a notice on every run that AI agents must not use it;
 * plain JUnit needs no extra dependency.) Every seed writes under its own source id, so
 * two database files serve all seeds (migrating a file per seed would cost most of the run).
 */
class RandomHistoryPropertyTest {

    static final int SEEDS = 200;
    private static final Instant OBSERVED = Instant.parse("2026-11-21T10:15:30.123Z");
    private static final long EPOCH = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String[] WORDS = {"alpha", "βeta", "gamma 👋", "it's", "\"quoted\"", "line\nbreak", ""};

    @TempDir
    static Path dir;

    static WriterDbFixture inOrder;
    static WriterDbFixture shuffled;

    @BeforeAll
    static void open() {
        inOrder = WriterDbFixture.sqlite(dir.resolve("in-order"));
        shuffled = WriterDbFixture.sqlite(dir.resolve("shuffled"));
    }

    @AfterAll
    static void close() {
        inOrder.close();
        shuffled.close();
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyInterleavingDuplicationAndRedeliveryEndsInTheStateOfTheHistoryInOrder(long seed) throws SQLException {
        Random random = new Random(seed);
        String source = "seed-" + seed;
        History history = History.generate(source, random);

        for (ChangeEvent event : history.events()) {
            inOrder.apply(event);
        }
        List<List<ChangeEvent>> batches = history.shuffledBatches(random);
        int replays = 0;
        for (int i = 0; i < batches.size(); i++) {
            shuffled.apply(batches.get(i));
            if (random.nextInt(5) == 0) {
                shuffled.apply(batches.get(random.nextInt(i + 1)));
                replays++;
            }
        }
        for (List<ChangeEvent> batch : batches.subList(random.nextInt(batches.size()), batches.size())) {
            shuffled.apply(batch);
        }

        String what = "seed " + seed + " (" + history.events().size() + " events over " + history.keys().size()
                + " records, " + batches.size() + " shuffled batches, " + replays + " redelivered)";
        Map<String, Row> expected = history.expectedState();
        Map<String, Row> applied = snapshot(inOrder, source);
        Map<String, Row> interleaved = snapshot(shuffled, source);

        assertThat(comparable(applied)).as("in order vs the history's state, %s", what).isEqualTo(comparable(expected));
        assertThat(comparable(interleaved)).as("shuffled vs in order, %s", what).isEqualTo(comparable(applied));
        interleaved.forEach((key, row) -> {
            if (row.deleted()) {
                assertThat(history.tombstoneContents(key)).as("tombstone %s keeps one upsert's fields or none, %s",
                        key, what).contains(row.fields());
            }
        });
        for (WriterDbFixture db : List.of(inOrder, shuffled)) {
            assertThat(db.danglingReferences()).as("dangling references, %s", what).isZero();
        }
    }

    /** A row by "entity/externalId": version, deleted, and every field with references as external ids. */
    record Row(long version, boolean deleted, Map<String, @Nullable Object> fields) {
    }

    /** The rows with a tombstone's fields left out (they depend on the order, see the class comment). */
    private static Map<String, Row> comparable(Map<String, Row> rows) {
        Map<String, Row> result = new TreeMap<>();
        rows.forEach((key, row) -> result.put(key, row.deleted() ? new Row(row.version(), true, Map.of()) : row));
        return result;
    }

    /** Every row of the source, references resolved to the referenced row's external id. */
    private static Map<String, Row> snapshot(WriterDbFixture db, String source) throws SQLException {
        Map<String, Row> rows = new TreeMap<>();
        for (EntityDefinition entity : db.catalog.definitions()) {
            StringBuilder select = new StringBuilder("SELECT c.external_id AS external_id, c.source_version AS v, c.deleted AS d");
            StringBuilder joins = new StringBuilder();
            int n = 0;
            for (FieldDefinition field : entity.fields()) {
                if (field.isReference()) {
                    String alias = "r" + n++;
                    select.append(", ").append(alias).append(".external_id AS ").append(field.name());
                    joins.append(" LEFT JOIN ").append(field.references()).append(' ').append(alias).append(" ON c.")
                            .append(field.name()).append(" = ").append(alias).append(".id");
                } else {
                    select.append(", c.").append(field.name()).append(" AS ").append(field.name());
                }
            }
            String sql = select + " FROM " + entity.name() + " c" + joins + " WHERE c.source_id = '" + source + "'";
            for (Map<String, Object> row : db.query(sql)) {
                Map<String, @Nullable Object> fields = new LinkedHashMap<>();
                for (FieldDefinition field : entity.fields()) {
                    fields.put(field.name(), row.get(field.name()));
                }
                rows.put(entity.name() + "/" + row.get("external_id"), new Row(((Number) row.get("v")).longValue(),
                        ((Number) row.get("d")).longValue() == 1, fields));
            }
        }
        return rows;
    }

    /**
     * A random history: records of each entity, each with 0–4 upserts at increasing versions (the version is
     * the source's {@code updated_at} in epoch ms, one global clock) and sometimes a final delete; every
     * record has at least one event, and every reference points at a record of the history.
     */
    record History(String source, List<ChangeEvent> events, Map<String, List<ChangeEvent>> byKey) {

        static History generate(String source, Random random) {
            Map<String, List<String>> ids = new LinkedHashMap<>();
            ids.put("users", ids("u", 1 + random.nextInt(4)));
            ids.put("sections", ids("s", 1 + random.nextInt(3)));
            ids.put("topics", ids("t", 1 + random.nextInt(5)));
            ids.put("messages", ids("m", 1 + random.nextInt(10)));
            // Per record, its operations in order: 'u' upsert, 'd' delete.
            List<String> pending = new ArrayList<>();
            Map<String, Integer> remaining = new LinkedHashMap<>();
            ids.forEach((entity, list) -> list.forEach(id -> {
                int upserts = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(4);
                boolean delete = upserts == 0 || random.nextInt(4) == 0;
                String key = entity + "/" + id;
                remaining.put(key, upserts + (delete ? 1 : 0));
                for (int i = 0; i < upserts; i++) {
                    pending.add(key + "/u");
                }
                if (delete) {
                    pending.add(key + "/d");
                }
            }));
            // One global timeline: each step takes the next operation of a random record.
            List<ChangeEvent> events = new ArrayList<>();
            Map<String, List<ChangeEvent>> byKey = new LinkedHashMap<>();
            Map<String, Integer> next = new LinkedHashMap<>();
            List<String> open = new ArrayList<>(remaining.keySet());
            long clock = EPOCH;
            while (!open.isEmpty()) {
                String key = open.get(random.nextInt(open.size()));
                int index = next.merge(key, 1, Integer::sum) - 1;
                boolean last = index == remaining.get(key) - 1;
                boolean isDelete = last && pending.contains(key + "/d");
                clock += 1 + random.nextInt(5_000);
                String entity = key.substring(0, key.indexOf('/'));
                String id = key.substring(key.indexOf('/') + 1);
                ChangeEvent event = isDelete
                        ? ChangeEvent.of(source, entity, id, Operation.DELETE, clock, OBSERVED, Origin.WEBHOOK, Map.of())
                        : ChangeEvent.of(source, entity, id, Operation.UPSERT, clock, OBSERVED, Origin.POLL,
                                payload(entity, id, clock, ids, random));
                events.add(event);
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(event);
                if (last) {
                    open.remove(key);
                }
            }
            return new History(source, events, byKey);
        }

        Set<String> keys() {
            return byKey.keySet();
        }

        /** Every event in random order, about a third of them twice, cut into batches of 1–8. */
        List<List<ChangeEvent>> shuffledBatches(Random random) {
            List<ChangeEvent> delivery = new ArrayList<>(events);
            for (ChangeEvent event : events) {
                if (random.nextInt(3) == 0) {
                    delivery.add(event);
                }
            }
            Collections.shuffle(delivery, random);
            List<List<ChangeEvent>> batches = new ArrayList<>();
            for (int from = 0; from < delivery.size(); ) {
                int to = Math.min(delivery.size(), from + 1 + random.nextInt(8));
                batches.add(List.copyOf(delivery.subList(from, to)));
                from = to;
            }
            return batches;
        }

        /** Decision 0006: deleted at the delete's version if any delete, else the highest upsert. */
        Map<String, Row> expectedState() {
            Map<String, Row> state = new TreeMap<>();
            byKey.forEach((key, list) -> {
                ChangeEvent last = list.get(list.size() - 1);
                state.put(key, last.op() == Operation.DELETE
                        ? new Row(last.sourceVersion(), true, Map.of())
                        : new Row(last.sourceVersion(), false, fields(last)));
            });
            return state;
        }

        /** What a tombstone may keep: no fields (all NULL), or one upsert's fields. */
        Set<Map<String, @Nullable Object>> tombstoneContents(String key) {
            Set<Map<String, @Nullable Object>> contents = new HashSet<>();
            List<ChangeEvent> list = byKey.get(key);
            Map<String, @Nullable Object> empty = new LinkedHashMap<>();
            fieldNames(list.get(0).entity()).forEach(name -> empty.put(name, null));
            contents.add(empty);
            list.stream().filter(e -> e.op() == Operation.UPSERT).forEach(e -> contents.add(fields(e)));
            return contents;
        }

        private static Map<String, @Nullable Object> fields(ChangeEvent upsert) {
            Map<String, @Nullable Object> fields = new LinkedHashMap<>();
            fieldNames(upsert.entity()).forEach(name -> fields.put(name, upsert.payload().get(name)));
            return fields;
        }

        private static List<String> fieldNames(String entity) {
            return switch (entity) {
                case "users" -> List.of("name", "email", "created_at", "updated_at");
                case "sections" -> List.of("title", "created_at", "updated_at");
                case "topics" -> List.of("section_id", "user_id", "title", "created_at", "updated_at");
                case "messages" -> List.of("topic_id", "user_id", "parent_id", "body", "created_at", "updated_at");
                default -> throw new IllegalArgumentException(entity);
            };
        }

        private static Map<String, Object> payload(String entity, String id, long version, Map<String, List<String>> ids,
                Random random) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("id", id);
            String text = WORDS[random.nextInt(WORDS.length)] + " " + id + " v" + version;
            switch (entity) {
                case "users" -> {
                    payload.put("name", text);
                    payload.put("email", id + "+" + version + "@example.com");
                }
                case "sections" -> payload.put("title", text);
                case "topics" -> {
                    payload.put("section_id", pick(ids.get("sections"), random));
                    payload.put("user_id", pick(ids.get("users"), random));
                    payload.put("title", text);
                }
                case "messages" -> {
                    payload.put("topic_id", pick(ids.get("topics"), random));
                    payload.put("user_id", pick(ids.get("users"), random));
                    // A reply to another message (one that may sort before or after it), or top level.
                    List<String> others = ids.get("messages").stream().filter(m -> !m.equals(id)).toList();
                    payload.put("parent_id", others.isEmpty() || random.nextBoolean() ? null : pick(others, random));
                    payload.put("body", text);
                }
                default -> throw new IllegalArgumentException(entity);
            }
            payload.put("created_at", Instant.ofEpochMilli(EPOCH).toString());
            payload.put("updated_at", Instant.ofEpochMilli(version).toString());
            return payload;
        }

        private static String pick(List<String> ids, Random random) {
            return ids.get(random.nextInt(ids.size()));
        }

        private static List<String> ids(String prefix, int count) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(prefix + i);
            }
            return ids;
        }
    }
}
