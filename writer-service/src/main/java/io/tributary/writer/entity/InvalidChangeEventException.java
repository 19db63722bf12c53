package io.tributary.writer.entity;

/**
 * A change event that was read but can never be applied: unknown entity, a payload field missing or of
 * the wrong type, a version the writer reserves. Permanent: the record is dead-lettered with this
 * message, and retrying it cannot help.
 */
public class InvalidChangeEventException extends RuntimeException {

    public InvalidChangeEventException(String message) {
        super(message);
    }
}
