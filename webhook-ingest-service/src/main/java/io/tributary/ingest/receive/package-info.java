/**
 * {@code POST /webhooks/{sourceId}}: bounded raw body → signature ({@link io.tributary.ingest.signature})
 * → deduplication by delivery id → the same mapping code as the poller ({@code io.tributary.mapping}) →
 * Kafka with {@code acks=all} → 2xx only after the broker acknowledged. Problems are RFC 9457 JSON.
 */
@NullMarked
package io.tributary.ingest.receive;

import org.jspecify.annotations.NullMarked;
