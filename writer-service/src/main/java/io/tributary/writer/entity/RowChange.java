package io.tributary.writer.entity;

import io.tributary.model.Origin;
import io.tributary.model.Operation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A validated change of one row: what the applier writes.
 *
 * @param entity        the entity (and table)
 * @param sourceId      the source the record comes from
 * @param externalId    the record's id at that source
 * @param op            upsert or delete
 * @param sourceVersion the record's version at the source; {@code >= 1} for an upsert (0 marks placeholders)
 * @param values        for an upsert, one value per {@link EntityDefinition#fields() field}, in order: a
 *                      String (text, timestamp, json: the value's JSON text, reference: the referenced record's
 *                      external id), Long, Double or Boolean, or null for an absent optional field. Empty for a delete.
 * @param origin        the path that observed the change; a {@code CDC} version is a log position, not a time
 */
public record RowChange(EntityDefinition entity, String sourceId, String externalId, Operation op,
        long sourceVersion, List<@Nullable Object> values, Origin origin) {

    public RowChange {
        values = Collections.unmodifiableList(new ArrayList<>(values));
        if (op == Operation.UPSERT && values.size() != entity.fields().size()) {
            throw new IllegalArgumentException("An upsert of " + entity.name() + " needs " + entity.fields().size()
                    + " values, got " + values.size());
        }
    }

    /** The value of a field, by name. */
    public @Nullable Object value(String field) {
        List<FieldDefinition> fields = entity.fields();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(field)) {
                return values.isEmpty() ? null : values.get(i);
            }
        }
        throw new IllegalArgumentException("Entity '" + entity.name() + "' has no field '" + field + "'");
    }

    @Override
    public String toString() {
        return op + " " + entity.name() + " " + sourceId + ":" + externalId + " v" + sourceVersion;
    }
}
