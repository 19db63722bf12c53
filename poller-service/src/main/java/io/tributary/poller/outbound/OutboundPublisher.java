package io.tributary.poller.outbound;

import io.tributary.model.outbound.LocalChange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends captured changes to their outbound topics, keyed {@code sourceId:localId}, and returns only once Kafka
 * acknowledged every one (idempotent producer, {@code acks=all}); throws otherwise, so the capture never stores
 * a position ahead of its changes. Sends of one key keep their order (one partition, idempotence).
 */
final class OutboundPublisher {

    private final KafkaTemplate<String, LocalChange> template;
    private final Duration timeout;
    private final CaptureMetrics metrics;

    OutboundPublisher(KafkaTemplate<String, LocalChange> template, Duration timeout, CaptureMetrics metrics) {
        this.template = template;
        this.timeout = timeout;
        this.metrics = metrics;
    }

    void publish(List<LocalChange> changes) throws InterruptedException {
        if (changes.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] acks = new CompletableFuture<?>[changes.size()];
        for (int i = 0; i < acks.length; i++) {
            LocalChange change = changes.get(i);
            acks[i] = template.send(change.topic(), change.key(), change);
        }
        try {
            CompletableFuture.allOf(acks).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Failed to publish " + changes.size() + " captured local changes (positions "
                    + changes.get(0).position() + ".." + changes.get(changes.size() - 1).position() + "): " + cause, cause);
        }
        metrics.published(changes);
    }
}
