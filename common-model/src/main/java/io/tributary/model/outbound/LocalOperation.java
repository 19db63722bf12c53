package io.tributary.model.outbound;

/** What the application did to a row of a two-way entity. */
public enum LocalOperation {
    /** A new row with no external id yet: the source assigns one (or accepts ours) on delivery. */
    CREATE,
    /** Fields of a row already linked to a source record changed. */
    UPDATE,
    /** The row was deleted (or marked deleted) by the application. */
    DELETE
}
