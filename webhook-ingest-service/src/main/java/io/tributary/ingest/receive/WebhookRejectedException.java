package io.tributary.ingest.receive;

import org.jspecify.annotations.Nullable;

/**
 * A verified webhook whose content cannot be used (answered 400); the message names the problem. When the event's
 * entity is known and only its record cannot be mapped, {@link #unmappable()} says what the dead letter carries.
 */
final class WebhookRejectedException extends RuntimeException {

    private final String reason;
    private final @Nullable Unmappable unmappable;

    /**
     * A record of a known entity that cannot be mapped (decision 0031: dead-lettered like the poller's).
     *
     * @param entity    the entity the event is about
     * @param fieldPath the target field that failed ({@code tracks[1].title}), {@code $} for the record as a whole
     * @param problem   what is wrong with it
     * @param failure   the class of the mapping's failure, for {@code kafka_dlt-exception-fqcn}
     */
    record Unmappable(String entity, String fieldPath, String problem, String failure) {
    }

    WebhookRejectedException(String reason, String message) {
        this(reason, message, null);
    }

    WebhookRejectedException(String reason, String message, @Nullable Unmappable unmappable) {
        super(message, null, false, false);
        this.reason = reason;
        this.unmappable = unmappable;
    }

    @Nullable Unmappable unmappable() {
        return unmappable;
    }

    /** e.g. {@code malformed-json}, {@code unknown-event-type}, {@code unmappable-record}. */
    String reason() {
        return reason;
    }
}
