package io.tributary.writer.outbound;

import io.tributary.model.outbound.LocalChange;
import io.tributary.model.outbound.LocalChangeJson;
import io.tributary.model.outbound.LocalOperation;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Plays the capture for tests of delivery: numbers local changes in the order they are made, as the capture's position
 * does, and puts each on its entity's outbound topic under the capture's key, waiting for the broker's acknowledgement.
 */
public final class StandInCapture implements AutoCloseable {

    private final KafkaProducer<String, LocalChange> producer;
    private final AtomicLong position = new AtomicLong();

    public StandInCapture(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new LocalChangeJson.Serializer());
    }

    /** The next change of {@code row}, at the next position; sending it twice is a redelivery. */
    public LocalChange change(String source, String entity, long row, @Nullable String externalId, LocalOperation op,
            long base, Instant at, Map<String, Object> fields) {
        return LocalChange.of(source, entity, row, externalId, op, base, at, position.incrementAndGet(), fields);
    }

    public void send(LocalChange change) {
        try {
            producer.send(new ProducerRecord<>(change.topic(), change.key(), change))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the outbound topic did not take " + change.key(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
