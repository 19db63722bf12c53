package io.tributary.writer.entity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.writer.entities}: target entities beyond the forum's built-in four, as configuration
 * (issue 5: "the music inventory needs no Java change"). Each becomes a table named like the entity with
 * the writer's bookkeeping columns and one typed column per field, created or evolved at start by
 * {@code io.tributary.writer.schema.EntityTables} (columns are added, never changed or dropped), and its
 * change topic {@code tributary.changes.<name>} is consumed like the forum's.
 *
 * <pre>
 * tributary.writer.entities:
 *   - name: artists
 *     fields:
 *       - { name: name, type: text, required: true }
 *   - name: items
 *     fields:
 *       - { name: name,      type: text, required: true }
 *       - { name: artist_id, type: reference, references: artists }
 *       - { name: year,      type: integer }
 *   - name: music_items          # two-way: the application's changes go back to the source (decision 0024)
 *     two-way: true
 *     fields:
 *       - { name: title, type: text, required: true }
 * </pre>
 *
 * @param entities the configured entities, parents before the entities that reference them
 */
@ConfigurationProperties("tributary.writer")
public record ConfiguredEntitiesProperties(@DefaultValue List<Entity> entities) {

    /** Words that would need quoting in SQL; refused as entity or field names to keep statements plain. */
    static final Set<String> SQL_KEYWORDS = Set.of("all", "alter", "analyse", "analyze", "and", "any", "array", "as",
            "asc", "authorization", "between", "binary", "both", "by", "case", "cast", "check", "collate", "column",
            "constraint", "create", "cross", "current_date", "current_time", "current_timestamp", "current_user",
            "default", "deferrable", "delete", "desc", "distinct", "do", "drop", "else", "end", "except", "exists",
            "false", "fetch", "for", "foreign", "from", "full", "grant", "group", "having", "ilike", "in", "index",
            "initially", "inner", "insert", "intersect", "into", "is", "isnull", "join", "key", "lateral", "leading",
            "left", "like", "limit", "localtime", "localtimestamp", "natural", "not", "notnull", "null", "offset",
            "on", "only", "or", "order", "outer", "overlaps", "placing", "primary", "references", "returning",
            "right", "select", "session_user", "similar", "some", "symmetric", "table", "then", "to", "trailing",
            "true", "union", "unique", "update", "user", "using", "values", "variadic", "verbose", "when", "where",
            "window", "with");

    public ConfiguredEntitiesProperties {
        entities = List.copyOf(entities);
    }

    /**
     * @param name   entity, table and topic-suffix name, e.g. {@code items}
     * @param fields payload fields, in column order
     * @param twoWay two-way sync (issue 6, decision 0024): the application's own changes to rows of this entity
     *               are captured for delivery to the source; its table allows a NULL {@code external_id} (a local
     *               create) and gets the capture's triggers (SQLite) or {@code REPLICA IDENTITY FULL} (PostgreSQL)
     */
    public record Entity(@Nullable String name, @DefaultValue List<Field> fields,
                         @DefaultValue("false") boolean twoWay) {

        @ConstructorBinding
        public Entity {
        }

        /** A one-way entity. */
        public Entity(@Nullable String name, List<Field> fields) {
            this(name, fields, false);
        }
    }

    /**
     * @param name       field and column name
     * @param type       {@code text}, {@code timestamp} (ISO-8601 string), {@code integer}, {@code number},
     *                   {@code boolean}, {@code json} (any JSON value, stored as its text) or {@code reference}
     *                   (an external id of {@code references})
     * @param required   an upsert must carry a non-null value
     * @param references the referenced entity, for a {@code reference}
     */
    public record Field(@Nullable String name, @Nullable String type, @DefaultValue("false") boolean required,
                        @Nullable String references) {
    }

    /** The definitions, validated; every problem names the entity and field by its configuration path. */
    public List<EntityDefinition> definitions() {
        List<EntityDefinition> definitions = new ArrayList<>();
        for (int e = 0; e < entities.size(); e++) {
            Entity entity = entities.get(e);
            String path = "tributary.writer.entities[" + e + "]";
            requireName(entity.name(), path + ".name");
            if (entity.fields().isEmpty()) {
                throw new IllegalArgumentException(path + " (" + entity.name() + ") needs at least one field");
            }
            List<FieldDefinition> fields = new ArrayList<>();
            for (int f = 0; f < entity.fields().size(); f++) {
                Field field = entity.fields().get(f);
                String fieldPath = path + ".fields[" + f + "]";
                requireName(field.name(), fieldPath + ".name");
                FieldType type = type(field.type(), fieldPath + ".type");
                if ((type == FieldType.REFERENCE) != (field.references() != null)) {
                    throw new IllegalArgumentException(fieldPath + " (" + entity.name() + "." + field.name() + "): "
                            + (type == FieldType.REFERENCE ? "a reference names the entity it references in 'references'"
                            : "'references' is only for type reference"));
                }
                try {
                    fields.add(new FieldDefinition(field.name(), type, field.required(), field.references()));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(fieldPath + ": " + ex.getMessage(), ex);
                }
            }
            try {
                definitions.add(new EntityDefinition(entity.name(), fields));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(path + ": " + ex.getMessage(), ex);
            }
        }
        return definitions;
    }

    /** The names of the entities marked {@code two-way: true} (decision 0024). */
    public Set<String> twoWayEntities() {
        Set<String> names = new java.util.TreeSet<>();
        entities.stream().filter(Entity::twoWay).forEach(entity -> names.add(entity.name()));
        return names;
    }

    private static void requireName(@Nullable String name, String path) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(path + " is required");
        }
        if (SQL_KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(path + " '" + name + "' is an SQL keyword; choose another name");
        }
    }

    private static FieldType type(@Nullable String type, String path) {
        if (type == null) {
            throw new IllegalArgumentException(path + " is required: one of text, timestamp, integer, number, boolean,"
                    + " json, reference");
        }
        try {
            return FieldType.valueOf(type.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + " '" + type + "' is not one of text, timestamp, integer, number,"
                    + " boolean, json, reference", e);
        }
    }
}
