package io.tributary.ingest.receive;

import org.jspecify.annotations.Nullable;

/**
 * What one accepted webhook puts on Kafka: a change event or a refresh request, already serialized.
 *
 * @param kind   {@code upsert}, {@code delete} or {@code refresh} (a metrics tag)
 * @param entity the entity the event is about
 * @param topic  the topic to publish to
 * @param key    the record key, {@code ChangeKey.encode()}
 * @param value  the serialized change event or refresh request
 * @param eventId the change event's id (the {@code eventId} of its log lines); null for a refresh request
 */
record Publication(String kind, String entity, String topic, String key, byte[] value, @Nullable String eventId) {
}
