package io.tributary.mapping.declarative;

import io.tributary.mapping.RecordRejectedException;

/**
 * A record that a declarative mapping refuses: {@link #fieldPath()} names the target field (e.g.
 * {@code tracks[2].title}; {@code $} for the record itself) and {@link #reason()} says what is wrong, with
 * the source path and a short form of the value. Permanent: dead-letter the record, go on with the others.
 */
public final class MappingFailedException extends RecordRejectedException {

    private final String fieldPath;
    private final String reason;

    public MappingFailedException(String fieldPath, String reason) {
        super("field '" + fieldPath + "': " + reason);
        this.fieldPath = fieldPath;
        this.reason = reason;
    }

    public String fieldPath() {
        return fieldPath;
    }

    public String reason() {
        return reason;
    }
}
