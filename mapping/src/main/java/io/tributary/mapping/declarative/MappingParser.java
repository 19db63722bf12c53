package io.tributary.mapping.declarative;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a mapping definition (a JSON tree, e.g. from YAML) into a {@link RecordMapping}, collecting every
 * problem with its JSON path rather than stopping at the first. The shape:
 *
 * <pre>{@code
 * key: externalId                                      # the field that is the record's external id
 * version: {source: updatedAt, format: iso-instant}    # or integer, epoch-millis, a date pattern...
 * coerce: true                                         # default
 * fields:
 *   externalId: {type: string, source: id, required: true}
 *   artist: {type: string, source: artist.name, transforms: [trim, {op: lookup, table: {...}}]}
 *   tracks: {type: array, source: tracks, items: {title: {type: string, source: name}}}
 * }</pre>
 *
 * {@code required} accepts a boolean or the strings {@code "true"}/{@code "false"} (the second brief writes both).
 */
public final class MappingParser {

    private static final Set<String> MAPPING_KEYS = Set.of("key", "version", "coerce", "fields");
    private static final Set<String> FIELD_KEYS = Set.of("type", "source", "required", "default", "transforms",
            "items", "itemType", "properties", "coerce", "description");
    private static final Set<String> VERSION_KEYS = Set.of("source", "format", "zone");

    final List<MappingProblem> problems = new ArrayList<>();
    private final TransformParser transformParser = new TransformParser(this);

    private MappingParser() {
    }

    /** The mapping; throws {@link InvalidMappingException} listing every problem (paths start with {@code base}, e.g. {@code $}). */
    public static RecordMapping parse(JsonNode definition, String base) {
        MappingParser parser = new MappingParser();
        RecordMapping mapping = parser.mapping(definition, base);
        if (!parser.problems.isEmpty() || mapping == null) {
            throw new InvalidMappingException(parser.problems);
        }
        return mapping;
    }

    public static RecordMapping parse(JsonNode definition) {
        return parse(definition, "$");
    }

    private @Nullable RecordMapping mapping(JsonNode node, String path) {
        if (!node.isObject()) {
            return problem(path, "a mapping is an object with 'key', 'version' and 'fields'");
        }
        unknownKeys(node, path, MAPPING_KEYS);
        String key = text(node, "key", path, true);
        VersionSpec version = node.has("version") ? version(node.get("version"), path + ".version")
                : problem(path, "'version' is required (where the record's version is read)");
        Boolean coerce = bool(node, "coerce", path);
        Map<String, FieldMapping> fields = node.has("fields") ? fields(node.get("fields"), path + ".fields")
                : problem(path, "'fields' is required");
        if (key == null || version == null || fields == null || !problems.isEmpty()) {
            return null;
        }
        try {
            return new RecordMapping(key, version, coerce == null || coerce, fields);
        } catch (IllegalArgumentException e) {
            return problem(path + ".key", e.getMessage());
        }
    }

    private @Nullable VersionSpec version(JsonNode node, String path) {
        if (!node.isObject()) {
            return problem(path, "expected an object with 'source' and 'format'");
        }
        unknownKeys(node, path, VERSION_KEYS);
        SourcePath source = sourcePath(node, "source", path, true);
        String format = text(node, "format", path, true);
        ZoneId zone = zone(node, path);
        if (source == null || format == null || zone == null) {
            return null;
        }
        try {
            return new VersionSpec(source, format, zone);
        } catch (IllegalArgumentException e) {
            return problem(path + ".format", "'" + format + "' is neither 'integer', a named date format "
                    + Transform.DateParse.NAMED_FORMATS + " nor a valid date pattern: " + e.getMessage());
        }
    }

    private @Nullable Map<String, FieldMapping> fields(JsonNode node, String path) {
        if (!node.isObject() || node.isEmpty()) {
            return problem(path, "expected an object with at least one field");
        }
        Map<String, FieldMapping> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String fieldPath = child(path, entry.getKey());
            if (entry.getKey().isBlank()) {
                problem(fieldPath, "a field name must not be blank");
                continue;
            }
            FieldMapping field = field(entry.getValue(), fieldPath);
            if (field != null) {
                fields.put(entry.getKey(), field);
            }
        }
        return fields.size() == node.size() ? fields : null;
    }

    private @Nullable FieldMapping field(JsonNode node, String path) {
        if (!node.isObject()) {
            return problem(path, "a field is an object with at least 'type'");
        }
        int before = problems.size();
        unknownKeys(node, path, FIELD_KEYS);
        FieldType type = type(node, "type", path, true);
        SourcePath source = sourcePath(node, "source", path, false);
        boolean required = required(node, path);
        JsonNode defaultValue = node.get("default");
        List<Transform> transforms = new ArrayList<>();
        JsonNode list = node.get("transforms");
        if (list != null) {
            if (!list.isArray()) {
                problem(path + ".transforms", "expected an array");
            } else {
                int i = 0;
                for (JsonNode step : list.values()) {
                    Transform transform = transformParser.transform(step, path + ".transforms[" + i++ + "]");
                    if (transform != null) {
                        transforms.add(transform);
                    }
                }
            }
        }
        Map<String, FieldMapping> items = node.has("items") ? fields(node.get("items"), path + ".items") : null;
        FieldType itemType = type(node, "itemType", path, false);
        Map<String, FieldMapping> properties = node.has("properties")
                ? fields(node.get("properties"), path + ".properties") : null;
        Boolean coerce = bool(node, "coerce", path);
        if (problems.size() > before || type == null) {
            return null;
        }
        try {
            return new FieldMapping(type, source, required, defaultValue, transforms, items, itemType, properties, coerce);
        } catch (IllegalArgumentException e) {
            return problem(path, e.getMessage());
        }
    }

    @Nullable ZoneId zone(JsonNode node, String path) {
        String zone = text(node, "zone", path, false);
        if (zone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            return problem(path + ".zone", "'" + zone + "' is not a time zone (e.g. UTC, Europe/Paris, +02:00)");
        }
    }

    <E extends Enum<E>> @Nullable E choice(JsonNode node, String key, String path, Class<E> type, E fallback) {
        String text = text(node, key, path, false);
        if (text == null) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().replace('_', '-').toLowerCase(Locale.ROOT).equals(text)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().replace('_', '-').toLowerCase(Locale.ROOT));
        }
        return problem(child(path, key), "'" + text + "' is not one of " + names);
    }

    private @Nullable FieldType type(JsonNode node, String key, String path, boolean needed) {
        String name = text(node, key, path, needed);
        if (name == null) {
            return null;
        }
        return FieldType.fromJsonName(name).orElseGet(() -> problem(child(path, key), "unknown type '" + name
                + "', known: " + java.util.Arrays.stream(FieldType.values()).map(FieldType::jsonName).toList()));
    }

    private boolean required(JsonNode node, String path) {
        JsonNode value = node.get("required");
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isString() && (value.stringValue().equals("true") || value.stringValue().equals("false"))) {
            return value.stringValue().equals("true");
        }
        problem(path + ".required", "expected true or false");
        return false;
    }

    private @Nullable SourcePath sourcePath(JsonNode node, String key, String path, boolean needed) {
        String text = text(node, key, path, needed);
        return text == null ? null : sourcePath(text, child(path, key));
    }

    @Nullable SourcePath sourcePath(String text, String path) {
        try {
            return SourcePath.parse(text);
        } catch (IllegalArgumentException e) {
            return problem(path, e.getMessage());
        }
    }

    private @Nullable Boolean bool(JsonNode node, String key, String path) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isBoolean() ? value.booleanValue() : problem(child(path, key), "expected true or false");
    }

    @Nullable String text(JsonNode node, String key, String path, boolean needed) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return needed ? problem(path, "'" + key + "' is required") : null;
        }
        if (!value.isString() || (needed && value.stringValue().isBlank())) {
            return problem(child(path, key), "expected a non-empty string, got " + Values.describe(value));
        }
        return value.stringValue();
    }

    void unknownKeys(JsonNode node, String path, Set<String> known) {
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                problem(child(path, name), "unknown property, expected one of " + new java.util.TreeSet<>(known));
            }
        }
    }

    <T> @Nullable T problem(String path, String message) {
        problems.add(new MappingProblem(path, message));
        return null;
    }

    /** {@code $.a.b}, or {@code $['a.b']} for a name that is not a plain identifier. */
    static String child(String path, String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_-]*") ? path + "." + name : path + "['" + name.replace("'", "\\'") + "']";
    }
}
