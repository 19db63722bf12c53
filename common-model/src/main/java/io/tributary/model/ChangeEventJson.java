package io.tributary.model;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON form of {@link ChangeEvent}. Reading validates every field and names the first one that is
 * missing or wrong, so a dead-lettered record says why it could not be read.
 */
public final class ChangeEventJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    /**
     * Reads one payload value that is not a string, null or boolean (a number, an object, an array) as databind
     * reads the values of a {@code Map<String, Object>}; what follows it is the envelope's, not trailing.
     */
    private static final ObjectReader VALUE_READER = MAPPER.readerFor(Object.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /**
     * Each writing thread's output buffer, reused: a new one per event, grown and then copied, was a sixth of the
     * poller's allocations (docs/benchmarks.md, 2026-12-07). One larger than {@link #MAX_KEPT_BUFFER} is not kept.
     */
    private static final ThreadLocal<ByteArrayOutputStream> BUFFER =
            ThreadLocal.withInitial(() -> new ByteArrayOutputStream(4_096));
    private static final int MAX_KEPT_BUFFER = 64 * 1_024;
    /** Stands for a JSON array, or an object anywhere but in {@code payload}: never a valid envelope field. */
    private static final Object STRUCTURE = new Object();
    /** Stands for an explicit JSON {@code null}: "missing", as an absent field. */
    private static final Object NULL = new Object();

    private ChangeEventJson() {
    }

    /**
     * Streams the envelope straight into JSON (no intermediate tree): the writer of every event the poller and the
     * receiver publish, so its cost is paid per record.
     */
    public static byte[] write(ChangeEvent event) {
        ByteArrayOutputStream out = BUFFER.get();
        out.reset();
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberProperty("schemaVersion", event.schemaVersion());
            json.writeStringProperty("eventId", event.eventId());
            json.writeStringProperty("sourceId", event.sourceId());
            json.writeStringProperty("entity", event.entity());
            json.writeStringProperty("externalId", event.externalId());
            json.writeStringProperty("op", event.op().name());
            json.writeNumberProperty("sourceVersion", event.sourceVersion());
            json.writeStringProperty("observedAt", InstantText.format(event.observedAt()));
            json.writeStringProperty("origin", event.origin().name());
            json.writeName("payload");
            writePayload(json, event.payload());
            json.writeEndObject();
        }
        byte[] bytes = out.toByteArray();
        if (out.size() > MAX_KEPT_BUFFER) {
            BUFFER.remove(); // a rare large record: do not keep its buffer
        }
        return bytes;
    }

    /**
     * The payload as databind writes a map, with its common values (strings, nulls, booleans, whole numbers) written
     * directly: looking up a serializer per value cost as much as writing it. Anything else goes to databind.
     */
    private static void writePayload(JsonGenerator json, Map<String, @Nullable Object> payload) {
        if (payload.containsKey(null)) {
            json.writePOJO(payload); // refused by databind, naming the problem
            return;
        }
        json.writeStartObject(payload);
        for (Map.Entry<String, @Nullable Object> field : payload.entrySet()) {
            json.writeName(field.getKey());
            Object value = field.getValue();
            if (value == null) {
                json.writeNull();
            } else if (value instanceof String text) {
                json.writeString(text);
            } else if (value instanceof Boolean bool) {
                json.writeBoolean(bool);
            } else if (value instanceof Long number) {
                json.writeNumber(number.longValue());
            } else if (value instanceof Integer number) {
                json.writeNumber(number.intValue());
            } else {
                json.writePOJO(value);
            }
        }
        json.writeEndObject();
    }

    /**
     * Reads and validates an envelope in one streaming pass (the writer's cost per record; a tree and a
     * conversion of the payload cost about twice as much). The envelope's fields may come in any order; a
     * duplicated field keeps its last value, as a tree would.
     */
    public static ChangeEvent read(byte[] json) {
        Map<String, Object> fields;
        try (JsonParser parser = MAPPER.createParser(json)) {
            fields = topLevelFields(parser);
        } catch (JacksonException e) {
            throw new MalformedChangeEventException("Change event is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (fields == null) {
            throw new MalformedChangeEventException("Change event must be a JSON object");
        }
        long schemaVersion = integer(fields, "schemaVersion");
        if (schemaVersion != ChangeEvent.SCHEMA_VERSION) {
            // Checked first: a newer envelope is named as such rather than as its first unknown field.
            throw new MalformedChangeEventException("Unsupported envelope schemaVersion " + schemaVersion
                    + " (this build reads " + ChangeEvent.SCHEMA_VERSION + ")");
        }
        try {
            return new ChangeEvent(
                    (int) schemaVersion,
                    text(fields, "eventId"),
                    text(fields, "sourceId"),
                    text(fields, "entity"),
                    text(fields, "externalId"),
                    enumValue(fields, "op", Operation.class),
                    integer(fields, "sourceVersion"),
                    instant(fields, "observedAt"),
                    enumValue(fields, "origin", Origin.class),
                    payload(fields));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedChangeEventException("Invalid change event: " + e.getMessage(), e);
        }
    }

    /**
     * The root object's fields as plain values: a string, a {@link Long} (an integer that fits), a {@link Number}
     * otherwise, a boolean, {@link #NULL}, the payload's map (only {@code payload} is read as one), or
     * {@link #STRUCTURE}; {@code null} when the root is not an object.
     */
    private static @Nullable Map<String, Object> topLevelFields(JsonParser parser) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Map<String, Object> fields = new HashMap<>(16);
        String name;
        while ((name = parser.nextName()) != null) {
            JsonToken token = parser.nextToken();
            fields.put(name, switch (token) {
                case VALUE_STRING -> parser.getString();
                case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
                case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                case VALUE_TRUE, VALUE_FALSE -> parser.getBooleanValue();
                case VALUE_NULL -> NULL;
                case START_OBJECT -> "payload".equals(name) ? readPayload(parser) : skip(parser);
                default -> skip(parser);
            });
        }
        if (parser.nextToken() != null) {
            throw new MalformedChangeEventException("Change event is not valid JSON: content after the object");
        }
        return fields;
    }

    /**
     * The payload object as databind reads a {@code Map<String, Object>} (insertion order, the last of a duplicated
     * field), its strings, nulls and booleans read directly: a serializer lookup per value cost as much as the value.
     */
    private static Map<String, @Nullable Object> readPayload(JsonParser parser) {
        Map<String, @Nullable Object> payload = new LinkedHashMap<>();
        String name;
        while ((name = parser.nextName()) != null) {
            payload.put(name, switch (parser.nextToken()) {
                case VALUE_STRING -> parser.getString();
                case VALUE_NULL -> null;
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> VALUE_READER.readValue(parser);
            });
        }
        return payload;
    }

    private static Object skip(JsonParser parser) {
        parser.skipChildren();
        return STRUCTURE;
    }

    private static Object required(Map<String, Object> fields, String field) {
        Object value = fields.get(field);
        if (value == null || value == NULL) {
            throw new MalformedChangeEventException("Change event field '" + field + "' is missing");
        }
        return value;
    }

    private static String text(Map<String, Object> fields, String field) {
        if (!(required(fields, field) instanceof String value)) {
            throw new MalformedChangeEventException("Change event field '" + field + "' must be a string");
        }
        return value;
    }

    private static long integer(Map<String, Object> fields, String field) {
        if (!(required(fields, field) instanceof Long value)) {
            throw new MalformedChangeEventException("Change event field '" + field + "' must be an integer");
        }
        return value;
    }

    private static <E extends Enum<E>> E enumValue(Map<String, Object> fields, String field, Class<E> type) {
        String name = text(fields, field);
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new MalformedChangeEventException("Change event field '" + field + "' has unknown value '"
                    + name + "'", e);
        }
    }

    private static Instant instant(Map<String, Object> fields, String field) {
        String value = text(fields, field);
        try {
            return InstantText.parse(value);
        } catch (DateTimeParseException e) {
            throw new MalformedChangeEventException("Change event field '" + field + "' is not an ISO-8601 instant: '"
                    + value + "'", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(Map<String, Object> fields) {
        if (!(required(fields, "payload") instanceof Map<?, ?> value)) {
            throw new MalformedChangeEventException("Change event field 'payload' must be a JSON object");
        }
        return (Map<String, Object>) value;
    }
}
