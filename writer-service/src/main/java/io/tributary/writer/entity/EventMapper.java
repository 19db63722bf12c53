package io.tributary.writer.entity;

import io.tributary.model.ChangeEvent;
import io.tributary.model.InstantText;
import io.tributary.model.ChangeTopics;
import io.tributary.model.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates a change event against its {@link EntityDefinition} and maps it to a {@link RowChange}.
 * Every rule is checked here, before any database work, so that a bad record is identified (and
 * dead-lettered) without touching the database. Fields the definition does not name (such as the
 * payload's own {@code id}) are ignored.
 */
public final class EventMapper {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EntityCatalog catalog;

    public EventMapper(EntityCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @param topic the topic the event was read from; its entity must be the event's entity
     * @throws InvalidChangeEventException naming the first rule the event breaks
     */
    public RowChange map(String topic, ChangeEvent event) {
        String expectedTopic = ChangeTopics.forEntity(event.entity());
        if (!expectedTopic.equals(topic)) {
            throw invalid(event, "entity '" + event.entity() + "' does not belong on topic " + topic);
        }
        return map(event);
    }

    /** @throws InvalidChangeEventException naming the first rule the event breaks */
    public RowChange map(ChangeEvent event) {
        EntityDefinition entity = catalog.find(event.entity())
                .orElseThrow(() -> invalid(event, "unknown entity '" + event.entity() + "', known: "
                        + catalog.definitions().stream().map(EntityDefinition::name).toList()));
        if (event.op() == Operation.DELETE) {
            return new RowChange(entity, event.sourceId(), event.externalId(), Operation.DELETE,
                    event.sourceVersion(), List.of(), event.origin());
        }
        if (event.sourceVersion() < 1) {
            throw invalid(event, "sourceVersion must be >= 1 for an upsert (0 is reserved for placeholders), was "
                    + event.sourceVersion());
        }
        Map<String, @Nullable Object> payload = event.payload();
        List<@Nullable Object> values = new ArrayList<>(entity.fields().size());
        for (FieldDefinition field : entity.fields()) {
            values.add(value(event, field, payload));
        }
        return new RowChange(entity, event.sourceId(), event.externalId(), Operation.UPSERT,
                event.sourceVersion(), values, event.origin());
    }

    private static @Nullable Object value(ChangeEvent event, FieldDefinition field, Map<String, @Nullable Object> payload) {
        Object value = payload.get(field.name());
        if (value == null) {
            if (field.required()) {
                throw invalid(event, "payload field '" + field.name() + "' is "
                        + (payload.containsKey(field.name()) ? "null" : "missing"));
            }
            return null;
        }
        if (field.type() == FieldType.JSON) {
            return JSON.writeValueAsString(value); // an object, array or scalar, stored as its JSON text
        }
        if (!field.type().isText()) {
            return scalar(event, field, value);
        }
        if (!(value instanceof String text)) {
            throw invalid(event, "payload field '" + field.name() + "' must be a string, was "
                    + typeName(value) + " " + abbreviate(String.valueOf(value)));
        }
        switch (field.type()) {
            case TIMESTAMP -> {
                if (!isInstant(text)) {
                    throw invalid(event, "payload field '" + field.name() + "' must be an ISO-8601 instant, was '"
                            + abbreviate(text) + "'");
                }
            }
            case REFERENCE -> {
                if (text.isBlank()) {
                    throw invalid(event, "payload field '" + field.name() + "' must be an external id, was blank");
                }
                if (text.length() > ChangeEvent.MAX_EXTERNAL_ID_LENGTH) {
                    throw invalid(event, "payload field '" + field.name() + "' is longer than "
                            + ChangeEvent.MAX_EXTERNAL_ID_LENGTH + " characters");
                }
            }
            default -> {
                // TEXT: any string
            }
        }
        return text;
    }

    /** INTEGER → Long, NUMBER → Double, BOOLEAN → Boolean; anything else is named and refused. */
    private static Object scalar(ChangeEvent event, FieldDefinition field, Object value) {
        switch (field.type()) {
            case INTEGER -> {
                if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                    return ((Number) value).longValue();
                }
                if (value instanceof java.math.BigInteger big && big.bitLength() < 64) {
                    return big.longValue();
                }
                if (value instanceof Number number && !(value instanceof java.math.BigInteger)) {
                    double d = number.doubleValue();
                    if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                        return (long) d;
                    }
                }
                throw invalid(event, "payload field '" + field.name() + "' must be an integer, was "
                        + typeName(value) + " " + abbreviate(String.valueOf(value)));
            }
            case NUMBER -> {
                if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                    return number.doubleValue();
                }
                throw invalid(event, "payload field '" + field.name() + "' must be a finite number, was "
                        + typeName(value) + " " + abbreviate(String.valueOf(value)));
            }
            case BOOLEAN -> {
                if (value instanceof Boolean bool) {
                    return bool;
                }
                throw invalid(event, "payload field '" + field.name() + "' must be true or false, was "
                        + typeName(value) + " " + abbreviate(String.valueOf(value)));
            }
            default -> throw new IllegalStateException("not a scalar type: " + field.type());
        }
    }

    private static String typeName(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        return value.getClass().getSimpleName();
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static InvalidChangeEventException invalid(ChangeEvent event, String reason) {
        return new InvalidChangeEventException("Invalid " + event.op() + " of " + event.entity() + " "
                + event.sourceId() + ":" + event.externalId() + " v" + event.sourceVersion() + ": " + reason);
    }

    /** As {@code Instant.parse} decides, the common shape without the JDK's formatter (decision 0032, 0037). */
    private static boolean isInstant(String text) {
        try {
            InstantText.parse(text);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }
}
