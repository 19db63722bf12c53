package io.tributary.poller.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.ChangeEvent;
import io.tributary.model.spi.SourceBatch;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cdc} {@link SourceTask} of one entity: {@link #start} runs a Debezium engine on its own thread,
 * from the committed cursor (none: initial snapshot, then streaming). The engine hands each batch of records to
 * {@link #poll()} and waits; the batch's records are marked processed (so their offsets may reach the engine's
 * store and PostgreSQL's slot) only when the runtime calls {@code poll} again, which it does only after the
 * batch's events were acknowledged and its cursor committed. A failed pass, or a failed engine, ends in
 * {@link #start} again: the old engine is closed without marking its batch, the new one resumes from the
 * committed cursor, and the changes after it are delivered again (at least once; the version guard absorbs them).
 */
final class CdcTask implements SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(CdcTask.class);
    private static final long WAIT_STEP_MS = 200;

    private final SourcePartition partition;
    private final CdcProperties properties;
    private final CdcRecordMapper mapper;
    private final Counter rejected;
    private final Timer lag;
    private final BlockingQueue<Handoff> handoffs = new ArrayBlockingQueue<>(1);
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

    private volatile boolean closing;
    private @Nullable DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private @Nullable ExecutorService thread;
    private @Nullable Handoff inFlight;
    private volatile OptionalLong snapshotVersion = OptionalLong.empty();

    /**
     * A batch handed to the runtime, and the signal that it is safe.
     *
     * @param committedAt the latest source commit time ({@code source.ts_ms}) of its changes; 0 = none
     */
    private record Handoff(SourceBatch batch, long committedAt, CompletableFuture<Void> published) {
    }

    /**
     * @param lag records, per published batch with changes, the time from the source's commit of its latest change
     *            to its acknowledgement by Kafka ({@code tributary.poller.cdc.lag}): a CDC event's version is a log
     *            position, so the writer's freshness metric cannot measure CDC sources (decision 0012)
     */
    CdcTask(SourcePartition partition, CdcProperties properties, CdcRecordMapper mapper, Counter rejected, Timer lag) {
        this.partition = partition;
        this.properties = properties;
        this.mapper = mapper;
        this.rejected = rejected;
        this.lag = lag;
    }

    @Override
    public void start(SourcePartition partition, Optional<SourceCursor> committed) {
        if (!partition.equals(this.partition)) {
            throw new IllegalArgumentException("Task of " + this.partition + " started for " + partition);
        }
        closeEngine();
        closing = false;
        failure.set(null);
        snapshotVersion = committed.map(CursorOffsetStore::snapshotVersion).orElseGet(OptionalLong::empty);
        if (committed.isEmpty() && properties.snapshotMode().equals("initial")) {
            snapshotVersion = OptionalLong.of(prepareSnapshot());
        }
        Properties config = properties.engineProperties(partition);
        config.putAll(CursorOffsetStore.seed(committed));
        DebeziumEngine<RecordChangeEvent<SourceRecord>> created = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(config)
                .notifying(this::handleBatch)
                .using((success, message, error) -> {
                    if (!closing) {
                        failure.compareAndSet(null, error != null ? error
                                : new IllegalStateException("Engine stopped by itself: " + message));
                    }
                })
                .build();
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "cdc-" + partition.sourceId() + "-" + partition.entity());
            t.setDaemon(true);
            return t;
        });
        engine = created;
        thread = executor;
        executor.execute(created);
        LOG.info("CDC of {} from {}.{} started {} (slot {})", partition, properties.database(),
                properties.table(partition.entity()).qualifiedName(partition.entity()),
                committed.isPresent() ? "from the committed offset" : "with snapshot mode " + properties.snapshotMode(),
                CdcProperties.slotName(partition));
    }

    @Override
    public Optional<SourceBatch> poll() throws InterruptedException {
        Handoff previous = inFlight;
        if (previous != null) {
            // The runtime polls again only after the previous batch was published and its cursor committed.
            previous.published().complete(null);
            inFlight = null;
            if (previous.committedAt() > 0) {
                lag.record(Math.max(0, System.currentTimeMillis() - previous.committedAt()), TimeUnit.MILLISECONDS);
            }
        }
        throwIfFailed();
        Handoff next = handoffs.poll(properties.pollTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throwIfFailed();
            return Optional.empty();
        }
        inFlight = next;
        return Optional.of(next.batch());
    }

    @Override
    public void stop() {
        closeEngine();
    }

    /** Runs on the engine's thread: hands the batch over, and marks it processed once it is safe. */
    private void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        if (records.isEmpty()) {
            return;
        }
        List<ChangeEvent> events = new ArrayList<>(records.size());
        long committedAt = 0;
        for (RecordChangeEvent<SourceRecord> record : records) {
            committedAt = Math.max(committedAt, CdcRecordMapper.committedAt(record.record()));
            try {
                mapper.map(record.record(), snapshotVersion).ifPresent(events::add);
            } catch (RecordRejectedException e) {
                rejected.increment();
                LOG.warn("Rejected a {} change of {} at offset {}: {}", partition.entity(), partition.sourceId(),
                        record.record().sourceOffset(), e.getMessage());
            }
        }
        SourceCursor cursor = CursorOffsetStore.cursorOf(CdcProperties.engineName(partition),
                records.get(records.size() - 1).record(), snapshotVersion);
        Handoff handoff = new Handoff(new SourceBatch(events, cursor), committedAt, new CompletableFuture<>());
        while (!handoffs.offer(handoff, WAIT_STEP_MS, TimeUnit.MILLISECONDS)) {
            if (closing) {
                return;
            }
        }
        while (true) {
            try {
                handoff.published().get(WAIT_STEP_MS, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (closing) {
                    return;
                }
            } catch (ExecutionException e) {
                return;
            }
        }
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
    }

    /**
     * Before a snapshot from no cursor: drops this partition's slot if one is left (a snapshot that failed before
     * its first checkpoint, or lost checkpoints), so that the snapshot is taken at a new slot's consistent point,
     * and returns the current WAL position, the snapshot reads' version: every change streamed after the new
     * slot's consistent point was written after it (decision 0012).
     */
    private long prepareSnapshot() {
        String slot = CdcProperties.slotName(partition);
        try (Connection connection = DriverManager.getConnection(properties.jdbcUrl(), properties.user(),
                properties.password())) {
            try (PreparedStatement drop = connection.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?"
                            + " AND database = current_database()")) {
                drop.setString(1, slot);
                try (ResultSet dropped = drop.executeQuery()) {
                    if (dropped.next()) {
                        LOG.warn("CDC of {} has no committed offset but its slot {} exists: dropped it, a new snapshot"
                                + " follows", partition, slot);
                    }
                }
            }
            try (PreparedStatement position = connection.prepareStatement("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn");
                    ResultSet result = position.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to prepare the snapshot of " + partition + " (slot " + slot + ") in "
                    + properties.database() + ": " + e.getMessage(), e);
        }
    }

    private void throwIfFailed() {
        Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("CDC engine of " + partition + " failed: " + error, error);
        }
    }

    /** Closes the engine without marking its pending batch: its changes come again from the committed cursor. */
    private void closeEngine() {
        closing = true;
        Handoff pending = inFlight;
        inFlight = null;
        if (pending != null) {
            pending.published().cancel(false);
        }
        handoffs.clear();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine;
        engine = null;
        if (running != null) {
            try {
                running.close();
            } catch (IOException e) {
                LOG.warn("Closing the CDC engine of {} failed: {}", partition, e.toString());
            }
        }
        ExecutorService executor = thread;
        thread = null;
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("The CDC engine of {} did not stop within 30 s", partition);
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
