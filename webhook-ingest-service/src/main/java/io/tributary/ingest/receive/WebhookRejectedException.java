package io.tributary.ingest.receive;

/** A verified webhook whose content cannot be used (answered 400); the message names the problem. */
final class WebhookRejectedException extends RuntimeException {

    private final String reason;

    WebhookRejectedException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** e.g. {@code malformed-json}, {@code unknown-event-type}, {@code unmappable-record}. */
    String reason() {
        return reason;
    }
}
