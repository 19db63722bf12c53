package io.tributary.mapping.declarative;

import io.tributary.mapping.RecordRejectedException;

/**
 * A record that a declarative mapping refuses: {@link #fieldPath()} names the target field (e.g.
 * {@code tracks[2].title}; {@code $} for the record itself) and {@link #reason()} says what is wrong, with
 * the source path and a short form of the value; {@link #reasonWithoutValues()} says it without the value, for a
 * status that must not show record contents. Permanent: dead-letter the record, go on with the others.
 */
public final class MappingFailedException extends RecordRejectedException {

    private final String fieldPath;
    private final String reason;
    private final String reasonWithoutValues;

    /** A reason that quotes no record value (a missing field, a blank key). */
    public MappingFailedException(String fieldPath, String reason) {
        this(fieldPath, reason, reason);
    }

    /** @param reasonWithoutValues {@code reason} with every record value left out (types and paths stay) */
    public MappingFailedException(String fieldPath, String reason, String reasonWithoutValues) {
        super("field '" + fieldPath + "': " + reason);
        this.fieldPath = fieldPath;
        this.reason = reason;
        this.reasonWithoutValues = reasonWithoutValues;
    }

    /** The failure of {@code step} (a refused value) at {@code fieldPath}, both reasons prefixed with {@code from}. */
    static MappingFailedException of(String fieldPath, String from, IllegalArgumentException step) {
        return new MappingFailedException(fieldPath, from + step.getMessage(), from + RejectedValue.withoutValues(step));
    }

    public String fieldPath() {
        return fieldPath;
    }

    public String reason() {
        return reason;
    }

    /** {@link #reason()} without record values, e.g. {@code (from 'price') expected number, got string}. */
    public String reasonWithoutValues() {
        return reasonWithoutValues;
    }
}
