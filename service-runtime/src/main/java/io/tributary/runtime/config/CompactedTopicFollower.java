package io.tributary.runtime.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a compacted topic of desired state (the admin service's config topics, decision 0020) on a thread of
 * its own: every partition from its beginning, with no consumer group (every follower needs all of it), then
 * each new record as it comes; a record with a null value is a deletion. If reading fails (broker down, topic not
 * created yet) the topic is read again from the beginning after {@code retry}: the handler sees every key's latest
 * value again, so it must treat a value it already applied as nothing to do.
 */
public final class CompactedTopicFollower {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicFollower.class);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Duration retry;
    private final BiConsumer<@Nullable String, byte @Nullable []> handler;
    private final String threadName;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private volatile boolean running;
    private volatile @Nullable KafkaConsumer<String, byte[]> consumer;
    private @Nullable Thread thread;

    /** {@code handler} runs on the follower's thread, one record at a time, in the topic's order per key. */
    public CompactedTopicFollower(String topic, Map<String, Object> consumerConfig, Duration retry,
            BiConsumer<@Nullable String, byte @Nullable []> handler, String threadName) {
        this.topic = topic;
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.retry = retry;
        this.handler = handler;
        this.threadName = threadName;
    }

    public synchronized void start() {
        running = true;
        Thread reader = new Thread(this::readLoop, threadName);
        reader.setDaemon(true);
        thread = reader;
        reader.start();
    }

    private void readLoop() {
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = kafka;
                List<TopicPartition> partitions = kafka.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                if (partitions.isEmpty()) {
                    LOG.info("{} does not exist yet (the admin service creates it); looking again in {}", topic, retry);
                    caughtUp.complete(null); // nothing is stored yet: the desired state is known, and empty
                    pause();
                    continue;
                }
                kafka.assign(partitions);
                kafka.seekToBeginning(partitions); // all of it on every (re)start: the topic is compacted
                Map<TopicPartition, Long> end = caughtUp.isDone() ? Map.of() : kafka.endOffsets(partitions);
                while (running) {
                    if (!caughtUp.isDone() && reached(kafka, end)) {
                        caughtUp.complete(null);
                    }
                    for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(500))) {
                        handler.accept(record.key(), record.value());
                    }
                }
            } catch (WakeupException e) {
                // stop() woke the consumer up
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("Reading {} failed, reading it again from the beginning in {}: {}", topic, retry,
                            e.toString());
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(partition -> kafka.position(partition.getKey()) >= partition.getValue());
    }

    /**
     * Completes, on the follower's thread, once the handler has been given every record the topic held when the
     * follower first read it (or at once when the topic does not exist yet): from then on the handler has seen the
     * desired state as of the start, and what follows are changes. A component that must not act on a partial
     * state waits for it: the writer, which would consume events without the columns a later definition adds
     * (decision 0029), and the poller's capture of local changes, whose first engine would otherwise start with the
     * tables of only the definitions read so far (decision 0030). Completes once; a later re-read from the beginning
     * (after a failure) only repeats values the handler has already seen.
     */
    public CompletionStage<Void> caughtUp() {
        return caughtUp;
    }

    private void pause() {
        try {
            Thread.sleep(retry.toMillis()); // a retry pause on the follower's own thread, not a test wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops reading and waits for the thread (a handler call in progress completes first). */
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        Thread reader;
        synchronized (this) {
            reader = thread;
        }
        if (reader != null) {
            try {
                reader.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        return running;
    }
}
