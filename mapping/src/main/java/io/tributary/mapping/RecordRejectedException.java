package io.tributary.mapping;

/**
 * A source record that cannot become a change event; the message says why (never a secret, only field names
 * and values). A permanent failure: the caller dead-letters the record and goes on with the others.
 * {@link io.tributary.mapping.declarative.MappingFailedException} also names the field.
 */
public class RecordRejectedException extends RuntimeException {

    public RecordRejectedException(String message) {
        super(message);
    }
}
