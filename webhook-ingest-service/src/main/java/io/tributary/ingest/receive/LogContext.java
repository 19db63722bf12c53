package io.tributary.ingest.receive;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The MDC keys of one webhook's log lines ({@code source}, {@code entity}, {@code eventId}; see
 * docs/operations.md). A request hops threads (the server's event loop, then a bounded-elastic thread for
 * the send), so the keys are set around each line and removed after it, never left on a thread for the
 * next request to inherit. Values are ids the sender already knows; never a secret or a signature.
 */
record LogContext(String source, @Nullable String entity, @Nullable String eventId) {

    static LogContext of(String source) {
        return new LogContext(source, null, null);
    }

    static LogContext of(String source, Publication publication) {
        return new LogContext(source, publication.entity(), publication.eventId());
    }

    void log(Runnable line) {
        MDC.put("source", source);
        if (entity != null) {
            MDC.put("entity", entity);
        }
        if (eventId != null) {
            MDC.put("eventId", eventId);
        }
        try {
            line.run();
        } finally {
            MDC.remove("source");
            MDC.remove("entity");
            MDC.remove("eventId");
        }
    }
}
