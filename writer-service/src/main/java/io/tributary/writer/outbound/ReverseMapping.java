package io.tributary.writer.outbound;

import io.tributary.definition.EntitySource;
import io.tributary.mapping.declarative.FieldMapping;
import io.tributary.mapping.declarative.FieldType;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The entity's mapping run backwards: each field of a local change goes where the field's {@code source} path
 * says ({@code album.title} → {@code {"album": {"title": ...}}}). The key is not sent (the source owns its ids);
 * fields without a source (defaults, computed) and fields the change does not carry are left out; transforms are
 * not reversed (a trimmed name is sent trimmed; a date parsed to epoch millis is sent as stored).
 * SQLite hands booleans as 0/1 and JSON columns as text: they are sent as a boolean and as JSON.
 */
final class ReverseMapping {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReverseMapping() {
    }

    /** The request body for {@code fields} (references already turned into external ids). */
    static ObjectNode body(EntitySource entity, Map<String, @Nullable Object> fields) {
        ObjectNode body = JSON.createObjectNode();
        entity.mapping().fields().forEach((name, field) -> {
            if (name.equals(entity.mapping().key()) || field.source() == null || !fields.containsKey(name)) {
                return;
            }
            List<Object> steps = field.source().steps();
            ObjectNode parent = body;
            for (int i = 0; i < steps.size() - 1; i++) {
                String step = (String) steps.get(i); // the definition rules allow only names on a delivered entity
                JsonNode child = parent.get(step);
                parent = child instanceof ObjectNode object ? object : parent.putObject(step);
            }
            parent.set((String) steps.get(steps.size() - 1), value(field, fields.get(name)));
        });
        return body;
    }

    /** An empty body (a webhook's data before the key is added). */
    static ObjectNode empty() {
        return JSON.createObjectNode();
    }

    /**
     * {@code body} with the record's key where the key field's {@code source} path says (a webhook's data names the
     * record it is about; a REST call names it in its path instead).
     */
    static ObjectNode withKey(EntitySource entity, ObjectNode body, String externalId) {
        FieldMapping key = entity.mapping().fields().get(entity.mapping().key());
        List<Object> steps = java.util.Objects.requireNonNull(key.source(), "key source").steps();
        ObjectNode parent = body;
        for (int i = 0; i < steps.size() - 1; i++) {
            String step = (String) steps.get(i); // the definition rules allow only names on a webhook's key
            JsonNode child = parent.get(step);
            parent = child instanceof ObjectNode object ? object : parent.putObject(step);
        }
        parent.put((String) steps.get(steps.size() - 1), externalId); // keys are strings (the definition rules)
        return body;
    }

    private static JsonNode value(FieldMapping field, @Nullable Object value) {
        if (value == null) {
            return JSON.nullNode();
        }
        if (field.type() == FieldType.BOOLEAN && value instanceof Number number) {
            return JSON.getNodeFactory().booleanNode(number.longValue() != 0);
        }
        if ((field.type() == FieldType.OBJECT || field.type() == FieldType.ARRAY || field.type() == FieldType.ANY)
                && value instanceof String text) {
            try {
                return JSON.readTree(text);
            } catch (RuntimeException notJson) {
                return JSON.getNodeFactory().stringNode(text);
            }
        }
        return JSON.valueToTree(value);
    }
}
