package io.tributary.model.spi;

import java.util.Optional;

/**
 * The extension point for a kind of source that Tributary pulls from (REST polling, CDC, ...). One
 * instance serves one {@link SourcePartition}; the runtime calls it from a single thread.
 *
 * <p>Lifecycle, as Kafka Connect's {@code SourceTask}:
 * <ol>
 *   <li>{@link #start} once, with the last committed cursor (empty on the first run: start from the beginning);</li>
 *   <li>{@link #poll} repeatedly. A batch is published; its cursor is committed only after Kafka has
 *       acknowledged every event in it. {@code Optional.empty()} means "caught up": the runtime waits for
 *       the partition's poll interval before calling again, and the next call starts a new pass;</li>
 *   <li>{@link #stop} once, from the same thread, after which no more calls come.</li>
 * </ol>
 *
 * <p>Errors: throw {@link java.io.UncheckedIOException} or any runtime exception for a failed pass after
 * the task's own bounded retries; the runtime logs it, keeps the last committed cursor, and restarts the
 * pass from it ({@link #start} is called again) after the poll interval. Delivery is at least once: a
 * task may re-yield events it yielded before a crash; the writer's version guard absorbs them.
 */
public interface SourceTask {

    void start(SourcePartition partition, Optional<SourceCursor> committed);

    Optional<SourceBatch> poll() throws InterruptedException;

    void stop();
}
