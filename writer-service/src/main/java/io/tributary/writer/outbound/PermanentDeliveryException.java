package io.tributary.writer.outbound;

/** The change can never be delivered as it is (a 4xx other than 429, no external id): dead-lettered with this reason. */
final class PermanentDeliveryException extends RuntimeException {

    PermanentDeliveryException(String message) {
        super(message);
    }
}
