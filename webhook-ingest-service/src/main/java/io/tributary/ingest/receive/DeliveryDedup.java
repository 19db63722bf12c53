package io.tributary.ingest.receive;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The delivery ids of webhooks already published, per source, in bounded memory (Caffeine: at most
 * {@code max-size} ids, each for {@code ttl}). An id is marked only after its publication was acknowledged,
 * so a delivery whose publication failed is processed again when the sender retries it.
 *
 * <p>Not durable: after a restart a redelivery is published again. That is harmless: it yields the same
 * deterministic event id and version, which the writer's version guard ignores (and a thin one a second
 * refresh). Two concurrent deliveries of one id may both be published, equally harmlessly.
 */
final class DeliveryDedup {

    private final Cache<String, Boolean> published;

    DeliveryDedup(IngestProperties.Dedup properties) {
        this.published = Caffeine.newBuilder()
                .maximumSize(properties.maxSize())
                .expireAfterWrite(properties.ttl())
                // maintenance (eviction, expiry) on the calling thread: no hand-off to the common pool per write
                .executor(Runnable::run)
                .build();
    }

    boolean alreadyPublished(String sourceId, String deliveryId) {
        return published.getIfPresent(key(sourceId, deliveryId)) != null;
    }

    void markPublished(String sourceId, String deliveryId) {
        published.put(key(sourceId, deliveryId), Boolean.TRUE);
    }

    /** Whether this delivery was already dead-lettered (its record could not be mapped): its retry is not sent again. */
    boolean alreadyDeadLettered(String sourceId, String deliveryId) {
        return published.getIfPresent(key(sourceId, deliveryId) + "\u0000dlt") != null;
    }

    void markDeadLettered(String sourceId, String deliveryId) {
        published.put(key(sourceId, deliveryId) + "\u0000dlt", Boolean.TRUE);
    }

    long size() {
        return published.estimatedSize();
    }

    private static String key(String sourceId, String deliveryId) {
        return sourceId + '\u0000' + deliveryId;
    }
}
