package io.tributary.writer.outbound;

/**
 * The change can never be delivered as it is (a 4xx other than 429, no external id): dead-lettered with this
 * reason. {@link #logLine()} leaves out what the source said: its message may quote the values we sent, and the
 * logs carry none (the dead-letter record holds the change, and the full reason in its headers).
 */
final class PermanentDeliveryException extends RuntimeException {

    private final String logLine;

    PermanentDeliveryException(String message) {
        this(message, message);
    }

    PermanentDeliveryException(String message, String logLine) {
        super(message);
        this.logLine = logLine;
    }

    String logLine() {
        return logLine;
    }
}
