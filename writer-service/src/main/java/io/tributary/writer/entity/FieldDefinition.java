package io.tributary.writer.entity;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One payload field of an entity, named as in the source contract; the column has the same name.
 *
 * @param name       field and column name, a lower-case identifier
 * @param type       how the value is validated and stored
 * @param required   an upsert must carry the field with a non-null value; an optional field may be
 *                   absent or null (a top-level message's {@code parent_id})
 * @param references for a {@link FieldType#REFERENCE}, the entity it points to; otherwise null
 */
public record FieldDefinition(String name, FieldType type, boolean required, @Nullable String references) {

    public FieldDefinition {
        EntityDefinition.requireIdentifier(name, "field name");
        Objects.requireNonNull(type, "type");
        if ((type == FieldType.REFERENCE) != (references != null)) {
            throw new IllegalArgumentException("Field '" + name + "': a REFERENCE field names the entity it "
                    + "references, and only a REFERENCE field does");
        }
        if (references != null) {
            EntityDefinition.requireIdentifier(references, "referenced entity of field '" + name + "'");
        }
    }

    public static FieldDefinition text(String name) {
        return new FieldDefinition(name, FieldType.TEXT, true, null);
    }

    public static FieldDefinition timestamp(String name) {
        return new FieldDefinition(name, FieldType.TIMESTAMP, true, null);
    }

    public static FieldDefinition reference(String name, String entity) {
        return new FieldDefinition(name, FieldType.REFERENCE, true, entity);
    }

    public static FieldDefinition optionalReference(String name, String entity) {
        return new FieldDefinition(name, FieldType.REFERENCE, false, entity);
    }

    public boolean isReference() {
        return references != null;
    }
}
