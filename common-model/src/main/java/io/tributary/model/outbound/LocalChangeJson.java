package io.tributary.model.outbound;

import io.tributary.model.MalformedChangeEventException;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of {@link LocalChange}, and its Kafka serializer and deserializer. Reading validates every
 * field and names the one that is wrong, so a dead-lettered record says why.
 */
public final class LocalChangeJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<Map<String, @Nullable Object>> FIELDS = new TypeReference<>() { };

    private LocalChangeJson() {
    }

    public static byte[] write(LocalChange change) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("schemaVersion", change.schemaVersion());
        node.put("changeId", change.changeId());
        node.put("sourceId", change.sourceId());
        node.put("entity", change.entity());
        node.put("localId", change.localId());
        node.put("externalId", change.externalId());
        node.put("op", change.op().name());
        node.put("baseVersion", change.baseVersion());
        node.put("changedAt", change.changedAt().toString());
        node.put("position", change.position());
        node.set("fields", MAPPER.valueToTree(change.fields()));
        return MAPPER.writeValueAsBytes(node);
    }

    public static LocalChange read(byte[] json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedChangeEventException("Local change is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedChangeEventException("Local change must be a JSON object");
        }
        try {
            JsonNode externalId = node.get("externalId");
            return new LocalChange(
                    (int) integer(node, "schemaVersion"),
                    text(node, "changeId"),
                    text(node, "sourceId"),
                    text(node, "entity"),
                    integer(node, "localId"),
                    externalId == null || externalId.isNull() ? null : text(node, "externalId"),
                    LocalOperation.valueOf(text(node, "op")),
                    integer(node, "baseVersion"),
                    Instant.parse(text(node, "changedAt")),
                    integer(node, "position"),
                    fields(node));
        } catch (RuntimeException e) {
            if (e instanceof MalformedChangeEventException malformed) {
                throw malformed;
            }
            throw new MalformedChangeEventException("Invalid local change: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedChangeEventException("Local change field '" + field + "' is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isString()) {
            throw new MalformedChangeEventException("Local change field '" + field + "' must be a string");
        }
        return value.stringValue();
    }

    private static long integer(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MalformedChangeEventException("Local change field '" + field + "' must be an integer");
        }
        return value.longValue();
    }

    private static Map<String, @Nullable Object> fields(JsonNode node) {
        JsonNode value = required(node, "fields");
        if (!value.isObject()) {
            throw new MalformedChangeEventException("Local change field 'fields' must be a JSON object");
        }
        return MAPPER.convertValue(value, FIELDS);
    }

    /** Kafka serializer of local changes. */
    public static final class Serializer implements org.apache.kafka.common.serialization.Serializer<LocalChange> {
        @Override
        public byte[] serialize(String topic, LocalChange change) {
            return change == null ? null : write(change);
        }
    }

    /** Kafka deserializer of local changes; wrap it in an {@code ErrorHandlingDeserializer} to dead-letter bad records. */
    public static final class Deserializer
            implements org.apache.kafka.common.serialization.Deserializer<LocalChange> {
        @Override
        public LocalChange deserialize(String topic, byte[] data) {
            if (data == null) {
                throw new MalformedChangeEventException("Local change on " + topic + " has no value (null)");
            }
            return read(data);
        }
    }
}
