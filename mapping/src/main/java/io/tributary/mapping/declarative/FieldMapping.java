package io.tributary.mapping.declarative;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * How one target field is produced from a source record, in the second brief's shape: a {@code type}, the
 * {@code source} path it is read from, whether it is {@code required}, and for containers the mapping of
 * an array's {@code items} or an object's {@code properties} (paths in those are relative to the element
 * or the object). Order of work: read the source, apply the transforms in order, use the default when the
 * value is absent (missing or JSON null), refuse an absent required value, then convert to the type.
 *
 * @param type         the payload type
 * @param source       where the value is read; null for a field computed by its transforms alone (a constant)
 * @param required     an absent value refuses the record; an optional absent field maps to null
 * @param defaultValue used when the value is absent after the transforms; null for none
 * @param transforms   applied in order
 * @param items        for an array of objects: each element's fields; null otherwise
 * @param itemType     for an array of scalars: each element's type; null when elements are copied as they are
 * @param properties   for an object: its fields; null to copy the object as it is
 * @param coerce       this field's coercion; null to inherit the mapping's
 */
public record FieldMapping(
        FieldType type,
        @Nullable SourcePath source,
        boolean required,
        @Nullable JsonNode defaultValue,
        List<Transform> transforms,
        @Nullable Map<String, FieldMapping> items,
        @Nullable FieldType itemType,
        @Nullable Map<String, FieldMapping> properties,
        @Nullable Boolean coerce) {

    public FieldMapping {
        Objects.requireNonNull(type, "type");
        transforms = List.copyOf(transforms);
        if (items != null) {
            items = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(items));
        }
        if (properties != null) {
            properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }
        if ((items != null || itemType != null) && type != FieldType.ARRAY) {
            throw new IllegalArgumentException("'items' and 'itemType' apply to an array, not to " + type.jsonName());
        }
        if (items != null && itemType != null) {
            throw new IllegalArgumentException("an array has 'items' (objects) or 'itemType' (scalars), not both");
        }
        if (itemType == FieldType.ARRAY || itemType == FieldType.OBJECT) {
            throw new IllegalArgumentException("'itemType' is a scalar type; map elements that are objects with 'items'");
        }
        if (properties != null && type != FieldType.OBJECT) {
            throw new IllegalArgumentException("'properties' apply to an object, not to " + type.jsonName());
        }
        if (source == null && defaultValue == null && transforms.isEmpty()) {
            throw new IllegalArgumentException("a field needs a 'source', a 'default' or a transform that computes it");
        }
    }

    /** A required field read from {@code source} with no transforms (tests and the common case). */
    public static FieldMapping of(FieldType type, String source, boolean required) {
        return new FieldMapping(type, SourcePath.parse(source), required, null, List.of(), null, null, null, null);
    }

    /** Maps {@code fields} over {@code record}; {@code prefix} names where they sit in the target ("" at the top). */
    static Map<String, @Nullable Object> mapFields(Map<String, FieldMapping> fields, JsonNode record, String prefix,
            boolean coerce) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, FieldMapping> field : fields.entrySet()) {
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            out.put(field.getKey(), field.getValue().map(record, path, coerce));
        }
        return out;
    }

    /** This field's payload value for {@code record}; throws {@link MappingFailedException} naming {@code path}. */
    @Nullable Object map(JsonNode record, String path, boolean inheritedCoerce) {
        boolean coerceHere = coerce != null ? coerce : inheritedCoerce;
        JsonNode value = source == null ? null : source.read(record);
        for (Transform transform : transforms) {
            try {
                value = transform.apply(value, record);
            } catch (IllegalArgumentException e) {
                throw MappingFailedException.of(path, from(), e);
            }
            if (value != null && value.isNull()) {
                value = null;
            }
        }
        if (value == null && defaultValue != null && !defaultValue.isNull()) {
            value = defaultValue;
        }
        if (value == null) {
            if (required) {
                throw new MappingFailedException(path, from() + "is required but "
                        + (source == null ? "was computed as null" : "missing or null"));
            }
            return null;
        }
        try {
            return switch (type) {
                case ARRAY -> array(value, record, path, coerceHere);
                case OBJECT -> object(value, path, coerceHere);
                default -> Values.coerce(value, type, coerceHere);
            };
        } catch (IllegalArgumentException e) {
            throw MappingFailedException.of(path, from(), e);
        }
    }

    private List<@Nullable Object> array(JsonNode value, JsonNode record, String path, boolean coerceHere) {
        if (!value.isArray()) {
            throw new RejectedValue("expected array, got " + Values.describe(value), "expected array, got " + Values.kind(value));
        }
        List<@Nullable Object> out = new ArrayList<>(value.size());
        int index = 0;
        for (JsonNode element : value.values()) {
            String elementPath = path + "[" + index++ + "]";
            if (element.isNull()) {
                out.add(null);
            } else if (items != null) {
                if (!element.isObject()) {
                    throw new MappingFailedException(elementPath, from() + "expected object, got " + Values.describe(element),
                            from() + "expected object, got " + Values.kind(element));
                }
                out.add(mapFields(items, element, elementPath, coerceHere));
            } else if (itemType != null) {
                try {
                    out.add(Values.coerce(element, itemType, coerceHere));
                } catch (IllegalArgumentException e) {
                    throw MappingFailedException.of(elementPath, from(), e);
                }
            } else {
                out.add(Values.toJava(element));
            }
        }
        return out;
    }

    private @Nullable Object object(JsonNode value, String path, boolean coerceHere) {
        if (!value.isObject()) {
            throw new RejectedValue("expected object, got " + Values.describe(value), "expected object, got " + Values.kind(value));
        }
        return properties == null ? Values.toJava(value) : mapFields(properties, value, path, coerceHere);
    }

    private String from() {
        return source == null ? "" : "(from '" + source.text() + "') ";
    }
}
