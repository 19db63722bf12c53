package io.tributary.e2e;

import java.util.List;
import java.util.Map;

/**
 * What the end-to-end comparison knows of each forum entity: its collection at the source (the contract's
 * field names), its table in the main DB, and which fields are references to which table. Written from
 * the contract, independently of the writer's own entity definitions, so the test does not agree with the
 * code merely by sharing it.
 */
record ForumEntity(String name, List<String> plainFields, Map<String, String> references) {

    static final List<ForumEntity> ALL = List.of(
            new ForumEntity("users", List.of("name", "email", "created_at", "updated_at"), Map.of()),
            new ForumEntity("sections", List.of("title", "created_at", "updated_at"), Map.of()),
            new ForumEntity("topics", List.of("title", "created_at", "updated_at"),
                    Map.of("section_id", "sections", "user_id", "users")),
            new ForumEntity("messages", List.of("body", "created_at", "updated_at"),
                    Map.of("topic_id", "topics", "user_id", "users", "parent_id", "messages")));
}
