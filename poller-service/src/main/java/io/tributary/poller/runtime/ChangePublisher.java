package io.tributary.poller.runtime;

import io.tributary.model.ChangeEvent;
import io.tributary.model.spi.SourcePartition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes a batch of change events to their entity topics, keyed by {@code ChangeKey.encode()}, and
 * returns only once Kafka has acknowledged every one of them (the producer is idempotent with
 * {@code acks=all}); throws otherwise, so the caller never commits a cursor ahead of its events.
 */
public final class ChangePublisher {

    private final KafkaTemplate<String, ChangeEvent> template;
    private final Duration timeout;

    ChangePublisher(KafkaTemplate<String, ChangeEvent> template, Duration timeout) {
        this.template = template;
        this.timeout = timeout;
    }

    public void publish(SourcePartition partition, List<ChangeEvent> events) throws InterruptedException {
        if (events.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] acks = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < acks.length; i++) {
            ChangeEvent event = events.get(i);
            acks[i] = template.send(event.topic(), event.key().encode(), event);
        }
        try {
            CompletableFuture.allOf(acks).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Failed to publish batch of " + events.size() + " " + partition.entity()
                    + " from " + partition.sourceId() + ": " + cause, cause);
        }
    }
}
