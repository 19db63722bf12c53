package io.tributary.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.model.ChangeEvent;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ForumRecordNormalizerTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-11-21T11:00:00Z");

    @Test
    void messageBecomesAnUpsertWithEveryContractFieldButId() {
        JsonNode message = json("""
                {"id": "m-1", "topic_id": "t-9", "user_id": "u-3", "parent_id": null,
                 "body": "héllo 👋 \\"quoted\\"\\nשלום", "created_at": "2026-11-21T10:15:30.000Z",
                 "updated_at": "2026-11-21T10:15:30.123Z", "extra": 1}""");

        ChangeEvent event = normalizer("messages").normalize(message);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("topic_id", "t-9");
        expected.put("user_id", "u-3");
        expected.put("parent_id", null);
        expected.put("body", "héllo 👋 \"quoted\"\nשלום");
        expected.put("created_at", "2026-11-21T10:15:30.000Z");
        expected.put("updated_at", "2026-11-21T10:15:30.123Z");
        assertThat(event).isEqualTo(ChangeEvent.of("forum-sim", "messages", "m-1", Operation.UPSERT,
                Instant.parse("2026-11-21T10:15:30.123Z").toEpochMilli(), NOW, Origin.POLL, expected));
        assertThat(event.payload()).containsExactlyEntriesOf(expected);
    }

    @Test
    void absentParentIdIsNullAndOtherEntitiesMapTheirFields() {
        ChangeEvent message = normalizer("messages").normalize(json("""
                {"id": "m-2", "topic_id": "t-1", "user_id": "u-1", "body": "",
                 "created_at": "2026-11-21T10:15:30.000Z", "updated_at": "2026-11-21T10:15:31.000Z"}"""));
        assertThat(message.payload()).containsEntry("parent_id", null).containsEntry("body", "");
        ChangeEvent topic = normalizer("topics").normalize(json("""
                {"id": "t-1", "section_id": "s-1", "user_id": "u-1", "title": "Hi",
                 "created_at": "2026-11-21T10:15:30.000Z", "updated_at": "2026-11-21T10:15:31.000Z"}"""));
        assertThat(topic.payload()).containsOnlyKeys("section_id", "user_id", "title", "created_at", "updated_at");
        ChangeEvent unknown = normalizer("badges").normalize(json("""
                {"id": "b-1", "level": 3, "updated_at": "2026-11-21T10:15:31Z"}"""));
        assertThat(unknown.payload()).containsEntry("level", 3).containsEntry("updated_at", "2026-11-21T10:15:31Z");
    }

    @Test
    void rejectsRecordsThatCannotBeNormalizedWithTheReason() {
        ForumRecordNormalizer users = normalizer("users");
        assertThatThrownBy(() -> users.normalize(json("""
                {"name": "n", "email": "e", "created_at": "x", "updated_at": "2026-11-21T10:15:31Z"}""")))
                .hasMessageContaining("'id'");
        assertThatThrownBy(() -> users.normalize(json("""
                {"id": "u-1", "name": "n", "email": "e", "created_at": "x"}""")))
                .hasMessageContaining("'updated_at'");
        assertThatThrownBy(() -> users.normalize(json("""
                {"id": "u-1", "name": "n", "email": "e", "created_at": "x", "updated_at": "yesterday"}""")))
                .hasMessageContaining("'updated_at'").hasMessageContaining("yesterday");
        assertThatThrownBy(() -> users.normalize(json("""
                {"id": "u-1", "email": "e", "created_at": "x", "updated_at": "2026-11-21T10:15:31Z"}""")))
                .hasMessageContaining("'name' is missing");
        assertThatThrownBy(() -> users.normalize(json("""
                {"id": "%s", "name": "n", "email": "e", "created_at": "x", "updated_at": "2026-11-21T10:15:31Z"}"""
                .formatted("x".repeat(600))))).hasMessageContaining("externalId");
        assertThat(ForumRecordNormalizer.id(json("{\"id\": 5}"))).isNull();
        assertThat(ForumRecordNormalizer.updatedAt(json("{\"updated_at\": \"2026-11-21T10:15:31.5Z\"}")))
                .isEqualTo(Instant.parse("2026-11-21T10:15:31.500Z"));
    }

    private static ForumRecordNormalizer normalizer(String entity) {
        return new ForumRecordNormalizer("forum-sim", entity, Origin.POLL, InstantSource.fixed(NOW));
    }

    @Test
    void theOriginIsThePathThatObservedTheRecordAndTheIdDoesNotDependOnIt() {
        JsonNode user = json("""
                {"id": "u-1", "name": "n", "email": "e", "created_at": "2026-11-21T10:15:30.000Z",
                 "updated_at": "2026-11-21T10:15:31.000Z"}""");
        ChangeEvent polled = normalizer("users").normalize(user);
        ChangeEvent pushed = new ForumRecordNormalizer("forum-sim", "users", Origin.WEBHOOK, InstantSource.fixed(NOW))
                .normalize(user);
        assertThat(pushed.origin()).isEqualTo(Origin.WEBHOOK);
        assertThat(pushed.eventId()).isEqualTo(polled.eventId());
        assertThat(pushed.payload()).isEqualTo(polled.payload());
    }

    private static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }
}
