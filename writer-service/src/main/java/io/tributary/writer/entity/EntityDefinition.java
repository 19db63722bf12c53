package io.tributary.writer.entity;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An entity kind as data: its name (also the table name and the topic suffix) and its payload fields
 * in column order. Every table also has the bookkeeping columns {@code id}, {@code source_id},
 * {@code external_id}, {@code source_version}, {@code deleted} and {@code synced_at}.
 */
public record EntityDefinition(String name, List<FieldDefinition> fields) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    /** Column names the writer itself uses; a payload field cannot take them. */
    static final Set<String> RESERVED = Set.of("id", "source_id", "external_id", "source_version", "deleted",
            "synced_at");

    public EntityDefinition {
        requireIdentifier(name, "entity name");
        fields = List.copyOf(fields);
        Set<String> seen = new HashSet<>();
        for (FieldDefinition field : fields) {
            if (RESERVED.contains(field.name())) {
                throw new IllegalArgumentException("Entity '" + name + "': field name '" + field.name()
                        + "' is reserved for the writer's own columns " + RESERVED);
            }
            if (!seen.add(field.name())) {
                throw new IllegalArgumentException("Entity '" + name + "': field '" + field.name() + "' is defined twice");
            }
        }
    }

    public List<FieldDefinition> references() {
        return fields.stream().filter(FieldDefinition::isReference).toList();
    }

    static void requireIdentifier(String value, String what) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' must match " + IDENTIFIER);
        }
        // Statements are built from names unquoted: a keyword would break them (definitions reach here unchecked).
        if (ConfiguredEntitiesProperties.SQL_KEYWORDS.contains(value)) {
            throw new IllegalArgumentException(what + " '" + value + "' is an SQL keyword; choose another name");
        }
    }
}
