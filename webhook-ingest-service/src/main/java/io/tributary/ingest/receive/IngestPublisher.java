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
 * What follows the acknowledgement (dedup bookkeeping, metrics, the response) runs on the producer's I/O thread;
 * handing it to another scheduler was measured and gained nothing (docs/benchmarks.md, 9d).
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
                .timeout(timeout)
                .then();
    }
}
