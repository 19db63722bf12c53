package io.tributary.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A request to read one record again at its source and publish what is there now: an UPSERT of its
 * current version, or a DELETE if the source no longer has it. Sent when a path saw that a record changed
 * but cannot trust what it saw as complete (a thin webhook event carrying only the id); served by the
 * poller, which owns reading sources. Published on {@link #TOPIC}, keyed by {@link #key()}'s
 * {@code encode()} (so requests about one record stay in order on one partition), value in JSON
 * ({@link RefreshRequestSerializer}, {@link RefreshRequestDeserializer}).
 *
 * <p>Serving a request twice, or late, is harmless: it publishes whatever version the source has then,
 * and the writer's version guard keeps the newest.
 *
 * @param sourceId    the configured source, e.g. {@code forum-sim}
 * @param entity      the entity kind (the source's collection), e.g. {@code messages}
 * @param externalId  the record's id at the source
 * @param requestedAt when the request was made
 * @param origin      the path that asked (the published event carries it, e.g. {@code WEBHOOK})
 * @param reason      why, for logs and tracing (e.g. {@code thin message.updated event})
 */
public record RefreshRequest(String sourceId, String entity, String externalId, Instant requestedAt, Origin origin,
                             String reason) {

    /** The topic of refresh requests: {@value}. */
    public static final String TOPIC = "tributary.refresh.requests";

    public RefreshRequest {
        ChangeEvent.requireSourceId(sourceId);
        ChangeEvent.requireEntity(entity);
        ChangeEvent.requireExternalId(externalId);
        Objects.requireNonNull(requestedAt, "requestedAt must not be null");
        Objects.requireNonNull(origin, "origin must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
    }

    /** The Kafka key: the same as the record's change events. */
    public ChangeKey key() {
        return new ChangeKey(sourceId, externalId);
    }
}
