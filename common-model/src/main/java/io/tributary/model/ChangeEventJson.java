package io.tributary.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of {@link ChangeEvent}. Reading validates every field and names the first one that is
 * missing or wrong, so a dead-lettered record says why it could not be read.
 */
public final class ChangeEventJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    private static final TypeReference<Map<String, Object>> PAYLOAD_TYPE = new TypeReference<>() { };

    private ChangeEventJson() {
    }

    public static byte[] write(ChangeEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("schemaVersion", event.schemaVersion());
        node.put("eventId", event.eventId());
        node.put("sourceId", event.sourceId());
        node.put("entity", event.entity());
        node.put("externalId", event.externalId());
        node.put("op", event.op().name());
        node.put("sourceVersion", event.sourceVersion());
        node.put("observedAt", event.observedAt().toString());
        node.put("origin", event.origin().name());
        node.set("payload", MAPPER.valueToTree(event.payload()));
        return MAPPER.writeValueAsBytes(node);
    }

    public static ChangeEvent read(byte[] json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedChangeEventException("Change event is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new MalformedChangeEventException("Change event must be a JSON object");
        }
        long schemaVersion = integer(node, "schemaVersion");
        if (schemaVersion != ChangeEvent.SCHEMA_VERSION) {
            // Checked first: a newer envelope is named as such rather than as its first unknown field.
            throw new MalformedChangeEventException("Unsupported envelope schemaVersion " + schemaVersion
                    + " (this build reads " + ChangeEvent.SCHEMA_VERSION + ")");
        }
        try {
            return new ChangeEvent(
                    (int) schemaVersion,
                    text(node, "eventId"),
                    text(node, "sourceId"),
                    text(node, "entity"),
                    text(node, "externalId"),
                    enumValue(node, "op", Operation.class),
                    integer(node, "sourceVersion"),
                    instant(node, "observedAt"),
                    enumValue(node, "origin", Origin.class),
                    payload(node));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedChangeEventException("Invalid change event: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedChangeEventException("Change event field '" + field + "' is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isString()) {
            throw new MalformedChangeEventException("Change event field '" + field + "' must be a string");
        }
        return value.stringValue();
    }

    private static long integer(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MalformedChangeEventException("Change event field '" + field + "' must be an integer");
        }
        return value.longValue();
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, String field, Class<E> type) {
        String name = text(node, field);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new MalformedChangeEventException("Change event field '" + field + "' has unknown value '"
                    + name + "'", e);
        }
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new MalformedChangeEventException("Change event field '" + field + "' is not an ISO-8601 instant: '"
                    + value + "'", e);
        }
    }

    private static Map<String, Object> payload(JsonNode node) {
        JsonNode value = required(node, "payload");
        if (!value.isObject()) {
            throw new MalformedChangeEventException("Change event field 'payload' must be a JSON object");
        }
        return MAPPER.convertValue(value, PAYLOAD_TYPE);
    }
}
