package io.tributary.writer.entity;

/** How a payload field is validated and stored. */
public enum FieldType {
    /** A JSON string, stored as TEXT. */
    TEXT,
    /** A JSON string holding an ISO-8601 instant, stored as the source's string (TEXT). */
    TIMESTAMP,
    /**
     * A JSON string holding the external id of another record of the same source; stored as that
     * record's internal id (a real foreign key), through a placeholder row when it has not arrived yet.
     */
    REFERENCE,
    /** A JSON integer (no fraction), stored as a 64-bit integer. */
    INTEGER,
    /** A JSON number, stored as a double-precision float. */
    NUMBER,
    /** A JSON boolean, stored as 0 or 1. */
    BOOLEAN,
    /**
     * Any JSON value (an object, an array: a definition's {@code json} column), stored as its JSON text
     * (SQLite {@code TEXT}, PostgreSQL {@code jsonb}; decision 0029).
     */
    JSON;

    /** Whether the payload carries this type as a JSON string. */
    boolean isText() {
        return this == TEXT || this == TIMESTAMP || this == REFERENCE;
    }
}
