package io.tributary.mapping;

import io.tributary.model.ChangeEvent;
import io.tributary.model.InstantText;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Turns one forum record (the contract's JSON, as listed, as fetched one by one, or as carried by a full
 * webhook event) into an UPSERT change event: {@code externalId = id}, {@code sourceVersion = updated_at}
 * in epoch milliseconds, payload = every other contract field by its contract name (references as the
 * external id strings, timestamps as the ISO strings received). A record that cannot be normalized is
 * refused with {@link RecordRejectedException} naming the reason. Thread-safe (immutable).
 * The same mapping written declaratively ({@code io.tributary.mapping.declarative}, {@code examples/forum.yaml})
 * is tested to produce the same events; this class stays until the services build theirs from definitions.
 */
public final class ForumRecordNormalizer {

    /** The contract's fields per collection, {@code id} excepted. */
    public static final Map<String, List<String>> FIELDS = Map.of(
            "users", List.of("name", "email", "created_at", "updated_at"),
            "sections", List.of("title", "created_at", "updated_at"),
            "topics", List.of("section_id", "user_id", "title", "created_at", "updated_at"),
            "messages", List.of("topic_id", "user_id", "parent_id", "body", "created_at", "updated_at"));
    /** Fields that may be null or absent (a top-level message has no parent). */
    private static final Set<String> NULLABLE = Set.of("parent_id");

    private final String sourceId;
    private final String entity;
    private final Origin origin;
    private final InstantSource clock;

    /**
     * @param sourceId the configured source, e.g. {@code forum-sim}
     * @param entity   the collection, e.g. {@code messages} (an unknown one maps every field but {@code id})
     * @param origin   the path that observes the records ({@code POLL}, {@code WEBHOOK}, ...)
     * @param clock    gives {@code observedAt}
     */
    public ForumRecordNormalizer(String sourceId, String entity, Origin origin, InstantSource clock) {
        this.sourceId = sourceId;
        this.entity = entity;
        this.origin = origin;
        this.clock = clock;
    }

    /** The record's id if it is a non-blank string, else null. */
    public static @Nullable String id(JsonNode record) {
        JsonNode id = record.get("id");
        return id != null && id.isString() && !id.stringValue().isBlank() ? id.stringValue() : null;
    }

    /** The record's {@code updated_at} if it is an ISO-8601 instant, else null. */
    public static @Nullable Instant updatedAt(JsonNode record) {
        JsonNode value = record.get("updated_at");
        if (value == null || !value.isString()) {
            return null;
        }
        try {
            return InstantText.parse(value.stringValue()); // Instant.parse, without its formatter for the usual shape
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The record as an UPSERT event; throws {@link RecordRejectedException} naming what is wrong. */
    public ChangeEvent normalize(JsonNode record) {
        if (!record.isObject()) {
            throw new RecordRejectedException("record is not a JSON object");
        }
        String id = id(record);
        if (id == null) {
            throw new RecordRejectedException("'id' is missing or not a non-blank string");
        }
        Instant updatedAt = updatedAt(record);
        if (updatedAt == null) {
            throw new RecordRejectedException("'updated_at' is missing or not an ISO-8601 instant: " + record.get("updated_at"));
        }
        if (updatedAt.isBefore(Instant.EPOCH)) {
            throw new RecordRejectedException("'updated_at' " + updatedAt + " is before 1970");
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        List<String> fields = FIELDS.get(entity);
        if (fields == null) {
            record.properties().forEach(field -> {
                if (!field.getKey().equals("id")) {
                    payload.put(field.getKey(), scalarOrTree(field.getValue()));
                }
            });
        } else {
            for (String field : fields) {
                payload.put(field, contractField(record, field));
            }
        }
        try {
            return ChangeEvent.of(sourceId, entity, id, Operation.UPSERT,
                    updatedAt.toEpochMilli(), clock.instant(), origin, payload);
        } catch (IllegalArgumentException e) {
            throw new RecordRejectedException(e.getMessage());
        }
    }

    private static @Nullable String contractField(JsonNode record, String field) {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) {
            if (NULLABLE.contains(field)) {
                return null;
            }
            throw new RecordRejectedException("'" + field + "' is missing");
        }
        if (!value.isString()) {
            throw new RecordRejectedException("'" + field + "' must be a string, was " + value.getNodeType());
        }
        return value.stringValue();
    }

    private static @Nullable Object scalarOrTree(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return value.stringValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.numberValue();
        }
        return value.toString();
    }
}
