package io.tributary.writer.apply;

import java.util.Locale;

/** What became of one change event. */
public enum Outcome {
    /** The row was written. */
    APPLIED,
    /** The version guard refused it: the stored row is as new or newer, or deleted. */
    STALE,
    /** Collapsed away in its batch: another event of the same record in the batch superseded it. */
    DUPLICATE;

    /** The metric tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
