package io.tributary.writer;

import io.tributary.model.ChangeEvent;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Change events as the poller would publish them (contract field names, references as external ids). */
public final class TestEvents {

    public static final String SOURCE = "forum-sim";
    private static final Instant OBSERVED = Instant.parse("2026-11-21T10:15:30.123Z");

    private TestEvents() {
    }

    public static String at(long version) {
        return Instant.ofEpochMilli(version).toString();
    }

    public static ChangeEvent user(String id, long version, String name) {
        return upsert("users", id, version, fields("id", id, "name", name, "email", name + "@example.com",
                "created_at", at(1), "updated_at", at(version)));
    }

    public static ChangeEvent section(String id, long version, String title) {
        return upsert("sections", id, version, fields("id", id, "title", title, "created_at", at(1),
                "updated_at", at(version)));
    }

    public static ChangeEvent topic(String id, long version, String sectionId, String userId, String title) {
        return upsert("topics", id, version, fields("id", id, "section_id", sectionId, "user_id", userId,
                "title", title, "created_at", at(1), "updated_at", at(version)));
    }

    public static ChangeEvent message(String id, long version, String topicId, String userId, String parentId,
            String body) {
        return upsert("messages", id, version, fields("id", id, "topic_id", topicId, "user_id", userId,
                "parent_id", parentId, "body", body, "created_at", at(1), "updated_at", at(version)));
    }

    public static ChangeEvent upsert(String entity, String id, long version, Map<String, Object> payload) {
        return ChangeEvent.of(SOURCE, entity, id, Operation.UPSERT, version, OBSERVED, Origin.POLL, payload);
    }

    public static ChangeEvent delete(String entity, String id, long version) {
        return ChangeEvent.of(SOURCE, entity, id, Operation.DELETE, version, OBSERVED, Origin.POLL, Map.of());
    }

    /** A payload map from alternating names and values; a null value is kept (JSON null). */
    public static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}
