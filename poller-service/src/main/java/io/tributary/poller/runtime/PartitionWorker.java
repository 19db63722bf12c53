package io.tributary.poller.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.model.spi.SourceBatch;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import io.tributary.poller.status.SourceActivity;
import java.time.Duration;
import java.util.Map;
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
    private final PassSchedule schedule;
    private final ChangePublisher publisher;
    private final CheckpointStore checkpoints;
    private final SourceActivity activity;
    private final Counter polled;
    private final Counter published;
    private final Counter pages;
    private final Timer pageDuration;
    private final Timer passCaughtUp;
    private final Timer passFailed;

    private @Nullable SourceCursor committed;
    private boolean started;
    private volatile long lastCheckpointNanos = System.nanoTime();

    PartitionWorker(SourcePartition partition, SourceTask task, PassSchedule schedule, ChangePublisher publisher,
            CheckpointStore checkpoints, MeterRegistry registry, SourceActivity activity) {
        this.partition = partition;
        this.activity = activity;
        this.task = task;
        this.schedule = schedule;
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        String[] tags = {"source", partition.sourceId(), "entity", partition.entity()};
        this.polled = Counter.builder("tributary.poller.records.polled").tags(tags)
                .description("Change events the source returned (before publishing)").register(registry);
        this.published = Counter.builder("tributary.poller.records.published").tags(tags)
                .description("Change events published and acknowledged").register(registry);
        this.pages = Counter.builder("tributary.poller.pages").tags(tags)
                .description("Batches (pages) published and checkpointed").register(registry);
        this.pageDuration = Timer.builder("tributary.poller.page.duration").tags(tags)
                .description("Time to fetch one page from the source").register(registry);
        this.passCaughtUp = passTimer(registry, tags, "caught-up");
        this.passFailed = passTimer(registry, tags, "failed");
        Gauge.builder("tributary.poller.checkpoint.age", this, PartitionWorker::checkpointAgeSeconds).tags(tags)
                .baseUnit("seconds")
                .description("Time since the partition last committed a cursor or confirmed it was caught up")
                .register(registry);
    }

    SourcePartition partition() {
        return partition;
    }

    /** The pause before the next pass, a pass having just ended. */
    Duration nextPassIn() {
        return schedule.delayAfter(java.time.Instant.now());
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
                this.polled.increment(batch.events().size());
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
            passCaughtUp.record(Duration.ofNanos(System.nanoTime() - begin));
            activity.passSucceeded(partition, cursorFields(), records, batches);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            started = false;
            if (running.getAsBoolean() && !Thread.currentThread().isInterrupted()) {
                passFailed.record(Duration.ofNanos(System.nanoTime() - begin));
                activity.passFailed(partition, cursorFields(), records, batches, e.toString());
                LOG.warn("Pass of {} failed after {} events; it restarts from the committed cursor {} in {}: {}",
                        partition, records, committed == null ? "(beginning)" : committed.sorted(), schedule,
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

    private @Nullable Map<String, String> cursorFields() {
        return committed == null ? null : committed.sorted();
    }

    private static Timer passTimer(MeterRegistry registry, String[] tags, String outcome) {
        return Timer.builder("tributary.poller.poll.duration").tags(tags).tag("outcome", outcome)
                .description("One poll pass: from its start until it caught up, or failed").register(registry);
    }

    private double checkpointAgeSeconds() {
        return (System.nanoTime() - lastCheckpointNanos) / 1e9;
    }
}
