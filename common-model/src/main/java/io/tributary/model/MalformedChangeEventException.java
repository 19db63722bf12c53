package io.tributary.model;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a valid change event. Extends Kafka's {@link SerializationException} so that a
 * consumer's error-handling deserializer routes the record to the dead-letter topic with this message.
 */
public class MalformedChangeEventException extends SerializationException {

    public MalformedChangeEventException(String message) {
        super(message);
    }

    public MalformedChangeEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
