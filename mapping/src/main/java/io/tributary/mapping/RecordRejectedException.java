package io.tributary.mapping;

/** A source record that cannot become a change event; the message says why (never a secret, only field names and values). */
public final class RecordRejectedException extends RuntimeException {

    public RecordRejectedException(String message) {
        super(message);
    }
}
