package io.tributary.writer.outbound;

/** The source could not take the change now (connection, timeout, 429, 5xx): retried, never dropped. */
final class TransientDeliveryException extends RuntimeException {

    TransientDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }

    TransientDeliveryException(String message) {
        super(message);
    }
}
