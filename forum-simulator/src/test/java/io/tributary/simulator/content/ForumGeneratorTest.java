package io.tributary.simulator.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.simulator.store.ForumCollection;
import io.tributary.simulator.store.ForumStore;
import io.tributary.simulator.store.SqliteDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForumGeneratorTest {

    static final SeedProperties SEED = seed(7);
    static List<Map<String, Object>> users;
    static List<Map<String, Object>> sections;
    static List<Map<String, Object>> topics;
    static List<Map<String, Object>> messages;

    static SeedProperties seed(long randomSeed) {
        return new SeedProperties(randomSeed, 350, 4, 320, 1500, 3, false,
                Instant.parse("2026-11-01T00:00:00Z"), Duration.ofDays(10));
    }

    static Map<ForumCollection, List<Map<String, Object>>> seedAndRead(Path file, SeedProperties seed) {
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            ForumGenerator.seedIfEmpty(db, seed, new IdScheme(seed.randomSeed()));
            ForumStore store = new ForumStore(db);
            Map<ForumCollection, List<Map<String, Object>>> all = new HashMap<>();
            for (ForumCollection c : ForumCollection.values()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                store.forEach(c.path(), rows::add);
                all.put(c, rows);
            }
            return all;
        }
    }

    @BeforeAll
    static void generate(@TempDir Path dir) {
        Map<ForumCollection, List<Map<String, Object>>> all = seedAndRead(dir.resolve("a/forum.db"), SEED);
        users = all.get(ForumCollection.USERS);
        sections = all.get(ForumCollection.SECTIONS);
        topics = all.get(ForumCollection.TOPICS);
        messages = all.get(ForumCollection.MESSAGES);
    }

    @Test
    void sameSeedGivesIdenticalRowsAndAnotherSeedOtherIds(@TempDir Path dir) {
        Map<ForumCollection, List<Map<String, Object>>> again = seedAndRead(dir.resolve("b.db"), SEED);
        assertThat(again.get(ForumCollection.USERS)).isEqualTo(users);
        assertThat(again.get(ForumCollection.SECTIONS)).isEqualTo(sections);
        assertThat(again.get(ForumCollection.TOPICS)).isEqualTo(topics);
        assertThat(again.get(ForumCollection.MESSAGES)).isEqualTo(messages);

        Map<ForumCollection, List<Map<String, Object>>> other = seedAndRead(dir.resolve("c.db"), seed(8));
        assertThat(other.get(ForumCollection.USERS)).extracting(r -> r.get("id"))
                .doesNotContainAnyElementsOf(users.stream().map(r -> r.get("id")).toList());
    }

    @Test
    void countsFieldsAndTimestampsFollowTheContract() {
        assertThat(users).hasSize(350).allSatisfy(r -> assertThat(r).containsOnlyKeys(ForumCollection.USERS.fields()));
        assertThat(sections).hasSize(4);
        assertThat(topics).hasSize(320);
        assertThat(messages).hasSize(1500)
                .allSatisfy(r -> assertThat(r.keySet()).containsExactlyElementsOf(ForumCollection.MESSAGES.fields()));
        for (List<Map<String, Object>> rows : List.of(users, sections, topics, messages)) {
            assertThat(rows).allSatisfy(r -> {
                assertThat((String) r.get("id")).matches("[0-9A-Za-z]{10,16}");
                assertThat((String) r.get("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
                assertThat((String) r.get("updated_at")).isGreaterThanOrEqualTo((String) r.get("created_at"));
            });
        }
    }

    @Test
    void idsDoNotSortInCreationOrder() {
        List<Object> byCreation = messages.stream()
                .sorted(Comparator.comparing(r -> (String) r.get("created_at"))).map(r -> r.get("id")).toList();
        List<Object> byId = messages.stream().map(r -> r.get("id")).toList(); // forEach streams by id
        assertThat(byCreation).isNotEqualTo(byId);
    }

    @Test
    void referencesPointToEarlierRecordsAndRepliesStayWithinTheirTopicAndDepth() {
        Map<Object, Map<String, Object>> userById = byId(users);
        Map<Object, Map<String, Object>> sectionById = byId(sections);
        Map<Object, Map<String, Object>> topicById = byId(topics);
        Map<Object, Map<String, Object>> messageById = byId(messages);
        assertThat(topics).allSatisfy(t -> {
            assertThat(sectionById).containsKey(t.get("section_id"));
            assertThat(userById).containsKey(t.get("user_id"));
            assertThat((String) sectionById.get(t.get("section_id")).get("created_at"))
                    .isLessThanOrEqualTo((String) t.get("created_at"));
        });
        int deepest = 0;
        long replies = 0;
        for (Map<String, Object> m : messages) {
            assertThat(topicById).containsKey(m.get("topic_id"));
            assertThat(userById).containsKey(m.get("user_id"));
            int depth = 0;
            Map<String, Object> current = m;
            while (current.get("parent_id") != null) {
                Map<String, Object> parent = messageById.get(current.get("parent_id"));
                assertThat(parent).as("parent of %s", current.get("id")).isNotNull();
                assertThat(parent.get("topic_id")).isEqualTo(current.get("topic_id"));
                assertThat((String) parent.get("created_at")).isLessThanOrEqualTo((String) current.get("created_at"));
                current = parent;
                depth++;
            }
            replies += depth > 0 ? 1 : 0;
            deepest = Math.max(deepest, depth);
        }
        assertThat(deepest).isEqualTo(SEED.maxReplyDepth());
        assertThat(replies).isBetween(300L, 1200L);
    }

    @Test
    void eachCollectionOfAtLeast300RecordsHasATieGroupLargerThanAPage() {
        for (List<Map<String, Object>> rows : List.of(users, topics, messages)) {
            Map<Object, Long> groups = rows.stream()
                    .collect(Collectors.groupingBy(r -> r.get("updated_at"), Collectors.counting()));
            assertThat(groups.values().stream().mapToLong(Long::longValue).max().orElse(0)).isGreaterThan(100);
            assertThat(groups.values().stream().filter(n -> n > 1).count()).as("tie groups").isGreaterThan(1);
        }
    }

    @Test
    void textHoldsUnicodeAndLongBodiesUpTo64KiB() {
        List<Integer> sizes = messages.stream()
                .map(m -> ((String) m.get("body")).getBytes(StandardCharsets.UTF_8).length).toList();
        assertThat(sizes).allSatisfy(n -> assertThat(n).isBetween(1, 64 * 1024)).contains(64 * 1024);
        String allText = messages.stream().map(m -> (String) m.get("body")).collect(Collectors.joining());
        assertThat(allText).contains("\n", "\"", "🚀", "עברית", "العربية");
        assertThat(users).anySatisfy(u -> assertThat((String) u.get("name")).containsAnyOf("'", "\""));
    }

    private static Map<Object, Map<String, Object>> byId(List<Map<String, Object>> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.get("id"), Function.identity()));
    }
}
