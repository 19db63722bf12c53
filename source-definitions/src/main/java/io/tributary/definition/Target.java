package io.tributary.definition;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where an entity's records land: the table (the entity's own name: the writer keys an entity's table, topic and
 * two-way changes by one name, decision 0029), the field that identifies a row ({@code key}, the mapping's key
 * unless given) and the typed columns, references pointing to other entities of the same source. The writer
 * adds its own bookkeeping columns (internal id, source id, external id, version, deleted flag).
 */
public record Target(String table, @Nullable String key, List<Column> columns) {

    public Target {
        columns = List.copyOf(columns);
    }

    public enum ColumnType {
        @JsonProperty("text") TEXT,
        @JsonProperty("integer") INTEGER,
        @JsonProperty("number") NUMBER,
        @JsonProperty("boolean") BOOLEAN,
        @JsonProperty("timestamp") TIMESTAMP,
        @JsonProperty("json") JSON,
        @JsonProperty("reference") REFERENCE
    }

    /** A column named as the mapped field it stores; a {@code reference} names the entity it points to. */
    public record Column(String name, ColumnType type, Boolean required, @Nullable String references) {
        public Column {
            required = Objects.requireNonNullElse(required, false);
        }
    }
}
