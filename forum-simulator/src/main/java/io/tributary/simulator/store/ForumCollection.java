package io.tributary.simulator.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The four collections of the external forum API, with their JSON fields in contract order. A table has
 * the collection's name and one column per field (timestamps as INTEGER epoch millis).
 */
public enum ForumCollection {
    USERS("users", "user", List.of("id", "name", "email", "created_at", "updated_at")),
    SECTIONS("sections", "section", List.of("id", "title", "created_at", "updated_at")),
    TOPICS("topics", "topic", List.of("id", "section_id", "user_id", "title", "created_at", "updated_at")),
    MESSAGES("messages", "message",
            List.of("id", "topic_id", "user_id", "parent_id", "body", "created_at", "updated_at"));

    private final String path;
    private final String singular;
    private final List<String> fields;

    ForumCollection(String path, String singular, List<String> fields) {
        this.path = path;
        this.singular = singular;
        this.fields = fields;
    }

    /** The collection's name in URLs and its table name, e.g. {@code users}. */
    public String path() {
        return path;
    }

    /** The singular used in webhook event types, e.g. {@code user}. */
    public String singular() {
        return singular;
    }

    /** The JSON fields (and table columns) in contract order. */
    public List<String> fields() {
        return fields;
    }

    static boolean isTimestamp(String field) {
        return field.equals("created_at") || field.equals("updated_at");
    }

    /** The collection named {@code path} ({@code users}, {@code sections}, {@code topics}, {@code messages}). */
    public static Optional<ForumCollection> byPath(String path) {
        return Arrays.stream(values()).filter(c -> c.path.equals(path)).findFirst();
    }

    /** Like {@link #byPath} but throws {@link IllegalArgumentException} for an unknown name. */
    public static ForumCollection of(String path) {
        return byPath(path).orElseThrow(() -> new IllegalArgumentException(
                "Unknown forum collection '" + path + "' (expected users, sections, topics or messages)"));
    }
}
