package io.tributary.poller.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.model.spi.SourceBatch;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Drives one partition's {@link SourceTask} through passes: {@code start} with the committed cursor,
 * {@code poll} until it returns empty (caught up); each batch is published, and its cursor committed
 * only after every event of it was acknowledged. A failed pass is logged and the next pass restarts the
 * task from the last committed cursor. Called by one thread at a time.
 */
final class PartitionWorker {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWorker.class);

    private final SourcePartition partition;
    private final SourceTask task;
    private final Duration pollInterval;
    private final ChangePublisher publisher;
    private final CheckpointStore checkpoints;
    private final Counter published;
    private final Counter pages;
    private final Timer pageDuration;

    private @Nullable SourceCursor committed;
    private boolean started;
    private volatile long lastCheckpointNanos = System.nanoTime();

    PartitionWorker(SourcePartition partition, SourceTask task, Duration pollInterval, ChangePublisher publisher,
            CheckpointStore checkpoints, MeterRegistry registry) {
        this.partition = partition;
        this.task = task;
        this.pollInterval = pollInterval;
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        String[] tags = {"source", partition.sourceId(), "entity", partition.entity()};
        this.published = Counter.builder("tributary.poller.records.published").tags(tags)
                .description("Change events published and acknowledged").register(registry);
        this.pages = Counter.builder("tributary.poller.pages").tags(tags)
                .description("Batches (pages) published and checkpointed").register(registry);
        this.pageDuration = Timer.builder("tributary.poller.page.duration").tags(tags)
                .description("Time to fetch one page from the source").register(registry);
        Gauge.builder("tributary.poller.checkpoint.age", this, PartitionWorker::checkpointAgeSeconds).tags(tags)
                .baseUnit("seconds")
                .description("Time since the partition last committed a cursor or confirmed it was caught up")
                .register(registry);
    }

    SourcePartition partition() {
        return partition;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    void resumeFrom(@Nullable SourceCursor cursor) {
        committed = cursor;
        started = false;
    }

    /** One pass; never throws (a failure is logged and the next pass restarts from the committed cursor). */
    void runPass(BooleanSupplier running) {
        MDC.put("source", partition.sourceId());
        MDC.put("entity", partition.entity());
        long begin = System.nanoTime();
        long records = 0;
        long batches = 0;
        try {
            if (!started) {
                task.start(partition, Optional.ofNullable(committed));
                started = true;
            }
            while (running.getAsBoolean()) {
                long pollStart = System.nanoTime();
                Optional<SourceBatch> polled = task.poll();
                pageDuration.record(Duration.ofNanos(System.nanoTime() - pollStart));
                if (polled.isEmpty()) {
                    lastCheckpointNanos = System.nanoTime();
                    break;
                }
                SourceBatch batch = polled.get();
                publisher.publish(partition, batch.events());
                if (!batch.cursor().equals(committed)) {
                    checkpoints.commit(partition, batch.cursor());
                    committed = batch.cursor();
                }
                lastCheckpointNanos = System.nanoTime();
                published.increment(batch.events().size());
                pages.increment();
                records += batch.events().size();
                batches++;
                LOG.debug("Published {} events of {}, cursor {}", batch.events().size(), partition, batch.cursor().sorted());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            started = false;
            if (running.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                LOG.warn("Pass of {} failed after {} events; it restarts from the committed cursor {} in {}: {}",
                        partition, records, committed == null ? "(beginning)" : committed.sorted(), pollInterval,
                        e.toString(), e);
            }
        } finally {
            if (records > 0) {
                LOG.info("Pass of {} published {} records in {} pages in {} ms", partition, records, batches,
                        (System.nanoTime() - begin) / 1_000_000);
            }
            MDC.remove("source");
            MDC.remove("entity");
        }
    }

    void stop() {
        try {
            task.stop();
        } catch (RuntimeException e) {
            LOG.warn("Stopping the task of {} failed: {}", partition, e.toString());
        }
    }

    private double checkpointAgeSeconds() {
        return (System.nanoTime() - lastCheckpointNanos) / 1e9;
    }
}
