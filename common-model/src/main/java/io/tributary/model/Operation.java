package io.tributary.model;

/** What a change event asks the writer to do with the record it names. */
public enum Operation {
    /** Insert the record or, if the event's source version is newer than what is stored, update it. */
    UPSERT,
    /** The record no longer exists at the source. External ids are never reused, so a delete is final. */
    DELETE
}
