package io.tributary.poller.runtime;

import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Durable cursors in the compacted topic {@value #TOPIC}: key = {@link SourcePartition#encode()}, value =
 * the {@link SourceCursor}'s fields as a JSON object. Written with {@code acks=all} after the events the
 * cursor covers were acknowledged; read back at start by consuming the topic from the beginning to the end
 * offsets, the last value per key winning (as Kafka Connect's {@code KafkaOffsetBackingStore}).
 * Public for the outbound capture (package {@code outbound}), which keeps its position here too.
 */
public final class CheckpointStore {

    public static final String TOPIC = "tributary.poller.checkpoints";

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() { };

    private final KafkaTemplate<String, String> template;
    private final Supplier<Consumer<String, String>> consumers;
    private final Duration timeout;

    CheckpointStore(KafkaTemplate<String, String> template, Supplier<Consumer<String, String>> consumers,
            Duration timeout) {
        this.template = template;
        this.consumers = consumers;
        this.timeout = timeout;
    }

    /** Every committed cursor by partition key; fails if the topic cannot be read to its end in time. */
    public Map<String, SourceCursor> load() {
        Map<String, SourceCursor> cursors = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Consumer<String, String> consumer = consumers.get()) {
            List<PartitionInfo> infos = consumer.partitionsFor(TOPIC, timeout);
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(TOPIC, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Timed out after " + timeout + " reading checkpoint topic " + TOPIC);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() == null) {
                        continue;
                    }
                    if (record.value() == null) {
                        cursors.remove(record.key());
                    } else {
                        cursors.put(record.key(), fromJson(record.key(), record.value()));
                    }
                }
            }
        }
        LOG.info("Loaded {} checkpoints from {}", cursors.size(), TOPIC);
        return cursors;
    }

    /** Writes the cursor and waits for the broker's acknowledgement (acks=all). */
    public void commit(SourcePartition partition, SourceCursor cursor) throws InterruptedException {
        try {
            template.send(TOPIC, partition.encode(), toJson(cursor)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Failed to commit checkpoint " + cursor.sorted() + " of " + partition
                    + " to " + TOPIC + ": " + cause, cause);
        }
    }

    static String toJson(SourceCursor cursor) {
        return MAPPER.writeValueAsString(cursor.sorted());
    }

    static SourceCursor fromJson(String key, String json) {
        try {
            return new SourceCursor(MAPPER.readValue(json, FIELDS));
        } catch (JacksonException e) {
            throw new IllegalStateException("Checkpoint of " + key + " in " + TOPIC + " is not a JSON object of strings: "
                    + json, e);
        }
    }
}
