package io.tributary.ingest.receive;

import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends a {@link Publication} with the idempotent {@code acks=all} producer and completes only when the
 * broker acknowledged it. The send is subscribed on a bounded-elastic thread, never on the server's event
 * loop: {@code KafkaProducer.send} blocks while it has no metadata (broker down), up to {@code max.block.ms}.
 * The acknowledgement is handed to Reactor's parallel scheduler: without that, everything after it (the dedup
 * bookkeeping, metrics, rendering and writing the response) ran on the producer's single I/O thread, which then
 * spent more time answering HTTP than talking to Kafka and capped the receiver at one core (docs/benchmarks.md, 9d).
 * Fails after {@code delivery-timeout} (plus a second of slack for the producer's own timeout to fire
 * first); an event that reaches Kafka after the sender got its 503 is published again on the retry, which
 * is harmless (same deterministic event id).
 */
final class IngestPublisher {

    private final KafkaTemplate<String, byte[]> template;
    private final Duration timeout;

    IngestPublisher(KafkaTemplate<String, byte[]> template, Duration deliveryTimeout) {
        this.template = template;
        this.timeout = deliveryTimeout.plusSeconds(1);
    }

    Mono<Void> publish(Publication publication) {
        return send(new ProducerRecord<>(publication.topic(), publication.key(), publication.value()));
    }

    /** Any record (a dead letter), with the same guarantee: complete once the broker acknowledged it. */
    Mono<Void> send(ProducerRecord<String, byte[]> record) {
        return Mono.fromFuture(() -> template.send(record))
                .subscribeOn(Schedulers.boundedElastic())
                .publishOn(Schedulers.parallel())
                .timeout(timeout)
                .then();
    }
}
