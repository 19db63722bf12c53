package io.tributary.mapping.declarative;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A declarative mapping of one entity's source records: the target {@code fields} (the second brief's
 * {@code mappings}), which of them is the record's external id ({@code key}: it identifies the row and
 * is not a payload column), and where the {@link VersionSpec version} is read. Immutable and thread-safe.
 * Build one from a definition with {@link MappingParser}.
 *
 * @param key     the field holding the external id; a required {@code string} field of {@code fields}
 * @param version how the record's version is read
 * @param coerce  the default coercion of every field (true unless the definition says otherwise)
 * @param fields  the target fields in payload order
 */
public record RecordMapping(String key, VersionSpec version, boolean coerce, Map<String, FieldMapping> fields) {

    public RecordMapping {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        FieldMapping keyField = fields.get(key);
        if (keyField == null) {
            throw new IllegalArgumentException("'key' names '" + key + "', which is not one of the fields " + fields.keySet());
        }
        if (keyField.type() != FieldType.STRING || !keyField.required()) {
            throw new IllegalArgumentException("the key field '" + key + "' must be a required string");
        }
    }

    /** The record mapped; throws {@link MappingFailedException} naming the field and the reason. */
    public MappedRecord map(JsonNode record) {
        if (!record.isObject()) {
            throw new MappingFailedException("$", "the record is " + Values.describe(record) + ", not a JSON object",
                    "the record is " + Values.kind(record) + ", not a JSON object");
        }
        Map<String, @Nullable Object> payload = FieldMapping.mapFields(fields, record, "", coerce);
        Object externalId = payload.remove(key);
        if (!(externalId instanceof String id) || id.isBlank()) {
            throw new MappingFailedException(key, "the key is blank");
        }
        return new MappedRecord(id, version.read(record), payload);
    }
}
