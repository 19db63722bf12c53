package io.tributary.poller.outbound;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.outbound.LocalChange;
import io.tributary.model.outbound.OutboundTopics;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.cdc.CursorOffsetStore;
import io.tributary.poller.runtime.CheckpointStore;
import io.tributary.poller.runtime.TopicCreator;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * PostgreSQL capture: one Debezium engine (pgoutput) over every two-way table of the main database, one
 * replication slot and publication, started without a snapshot (existing rows are not changes). Each batch the
 * engine hands over is mapped by {@link LocalChangeMapper}, published, and its offset stored in the checkpoint
 * topic (the cdc kind's {@link CursorOffsetStore} format, decision 0012) before the records are marked processed:
 * only then may the engine confirm the LSN to the slot, so PostgreSQL keeps the WAL of everything not stored, also
 * while the poller is down. An engine that fails is started again from the stored offset after
 * {@code retry-backoff}.
 *
 * <p>The tables follow {@link CapturedEntities} (decision 0030). A supervisor thread compares the captured
 * entities that are ready ({@link PublicationTables}) with the engine's tables and, when they differ, closes the
 * engine and starts a new one with the new {@code table.include.list} from the stored offset; Debezium's
 * {@code publication.autocreate.mode=filtered} then sets the publication's tables before it streams. Nothing of the
 * tables captured before is lost (the new engine reads from the stored offset; what was published but not stored is
 * published again, with the same change ids); a new table is captured from the moment it joins the publication. The
 * first engine waits until the config topic has been read to its end, so that a restart resumes with every
 * two-way table of the stored definitions (an engine started with fewer would remove the others from the
 * publication, and their changes made while the poller was down would be skipped). A captured set that becomes
 * empty leaves the engine running with its tables, publishing nothing, so the slot still moves and PostgreSQL
 * releases its WAL.
 */
final class PostgresCapture implements SmartLifecycle {

    static final String ENGINE = "tributary-outbound-capture";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCapture.class);
    private static final Duration ENGINE_STOP_TIMEOUT = Duration.ofSeconds(60);

    private final CaptureProperties properties;
    private final OutboundPublisher publisher;
    private final CheckpointStore checkpoints;
    private final CapturedEntities captured;
    private final TopicCreator topics;
    private final PublicationTables tables;
    /** Checkpoint key: {@code outbound-capture/<slot>}; a new slot is a new stream. */
    private final SourcePartition checkpoint;
    /** Which engine is current: a run that ends while it still is has failed (not been replaced or stopped). */
    private final AtomicInteger generation = new AtomicInteger();
    private volatile boolean running;
    private @Nullable ScheduledExecutorService supervisor;
    private @Nullable ExecutorService engineThread;
    private volatile @Nullable DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    // Touched by the supervisor thread only:
    private Set<String> engineTables = Set.of();
    private @Nullable Future<?> engineRun;
    private boolean recheckScheduled;
    private final Set<String> reported = new HashSet<>();

    PostgresCapture(CaptureProperties properties, OutboundPublisher publisher, CheckpointStore checkpoints,
            CapturedEntities captured, TopicCreator topics) {
        this.properties = properties;
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.captured = captured;
        this.topics = topics;
        this.tables = new PublicationTables(properties);
        this.checkpoint = new SourcePartition(ChangelogCapture.CHECKPOINT.sourceId(), properties.slotName());
    }

    @Override
    public void start() {
        supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "outbound-capture"));
        engineThread = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "outbound-capture-engine"));
        running = true;
        captured.onChange(this::reconcileSoon);
        reconcileSoon();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private void reconcileSoon() {
        ScheduledExecutorService pool = supervisor;
        if (running && pool != null && !pool.isShutdown()) {
            pool.execute(this::reconcile);
        }
    }

    private void reconcileIn(Duration pause) {
        ScheduledExecutorService pool = supervisor;
        if (running && pool != null && !pool.isShutdown() && !recheckScheduled) {
            recheckScheduled = true;
            pool.schedule(() -> {
                recheckScheduled = false;
                reconcile();
            }, pause.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Brings the engine's tables to the captured entities that are ready; on the supervisor thread. */
    private void reconcile() {
        if (!running) {
            return;
        }
        Set<String> wanted = captured.entities();
        if (!captured.isLoaded()) {
            wanted.forEach(entity -> captured.waiting(entity, "the two-way definitions are being read"));
            return; // loaded() calls again
        }
        if (wanted.isEmpty()) {
            return; // no two-way table (yet); an engine left running publishes nothing
        }
        Map<String, String> notReady;
        try {
            notReady = tables.notReady(wanted);
        } catch (SQLException e) {
            LOG.warn("Capture: cannot read the two-way tables from PostgreSQL {}; trying again in {}: {}",
                    properties.hostPortDatabase()[2], properties.retryBackoff(), e.toString());
            reconcileIn(properties.retryBackoff());
            return;
        }
        Set<String> ready = new TreeSet<>(wanted);
        ready.removeAll(notReady.keySet());
        report(wanted, notReady);
        if (!notReady.isEmpty()) {
            reconcileIn(properties.pollInterval());
        }
        boolean alive = engineRun != null && !engineRun.isDone();
        if (ready.isEmpty() || alive && ready.equals(engineTables)) {
            return; // nothing to capture yet, or already captured; an engine left running publishes nothing
        }
        try {
            topics.ensure(ready.stream().map(OutboundTopics::forEntity).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            ready.forEach(entity -> captured.waiting(entity, "outbound topic not created: " + e.getMessage()));
            LOG.warn("Capture: {}; trying again in {}", e.getMessage(), properties.retryBackoff());
            reconcileIn(properties.retryBackoff());
            return;
        }
        if (alive) {
            LOG.info("Capture: the two-way tables change from {} to {}; the engine restarts from the stored offset",
                    engineTables, ready);
            stopEngine();
        }
        startEngine(ready);
    }

    /** Each entity's state for the status page, and a WARN the first time a table keeps the capture waiting. */
    private void report(Set<String> wanted, Map<String, String> notReady) {
        for (String entity : wanted) {
            String reason = notReady.get(entity);
            captured.waiting(entity, reason);
            if (reason != null && reported.add(entity + ": " + reason)) {
                LOG.warn("Capture of {} waits: {}; looked at again every {}", entity, reason, properties.pollInterval());
            }
        }
    }

    private void startEngine(Set<String> with) {
        ExecutorService pool = engineThread;
        if (pool == null || pool.isShutdown()) {
            return;
        }
        int current = generation.incrementAndGet();
        engineTables = Set.copyOf(with);
        engineRun = pool.submit(() -> run(with, current));
    }

    /** Runs one engine until it stops; a failure (the engine ended while still current) schedules a new one. */
    private void run(Set<String> with, int current) {
        try {
            Optional<SourceCursor> stored = Optional.ofNullable(checkpoints.load().get(checkpoint.encode()));
            Properties config = engineProperties(with);
            config.putAll(CursorOffsetStore.seed(stored));
            DebeziumEngine<RecordChangeEvent<SourceRecord>> created = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                    .using(config)
                    .notifying(this::handleBatch)
                    .using((success, message, error) -> {
                        if (running && !success && generation.get() == current) {
                            LOG.warn("Capture engine stopped: {}; it starts again from the stored offset in {}",
                                    message, properties.retryBackoff(), error);
                        }
                    })
                    .build();
            engine = created;
            if (generation.get() != current) {
                return; // replaced or stopped before it ran (the finally closes it)
            }
            LOG.info("Capture of {} from PostgreSQL {} started {} (slot {})", with, properties.hostPortDatabase()[2],
                    stored.isPresent() ? "from the stored offset"
                            : "with no stored offset (a new slot starts at the current WAL)", properties.slotName());
            created.run(); // returns when the engine stops
        } catch (RuntimeException e) {
            LOG.warn("Capture from PostgreSQL failed; it starts again from the stored offset in {}: {}",
                    properties.retryBackoff(), e.toString(), e);
        } finally {
            closeEngine();
        }
        ScheduledExecutorService pool = supervisor;
        if (running && generation.get() == current && pool != null && !pool.isShutdown()) {
            pool.schedule(() -> {
                if (generation.get() == current) {
                    engineTables = Set.of(); // failed: start again whatever the tables
                    reconcile();
                }
            }, properties.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        if (records.isEmpty()) {
            return;
        }
        Set<String> wanted = captured.entities();
        List<LocalChange> changes = new ArrayList<>(records.size());
        for (RecordChangeEvent<SourceRecord> record : records) {
            try {
                // A table no longer captured, until the engine restarts without it: its changes go nowhere.
                LocalChangeMapper.map(record.record()).filter(change -> wanted.contains(change.entity()))
                        .ifPresent(changes::add);
            } catch (RecordRejectedException e) {
                // Ids only: a row's values never reach the logs.
                LOG.error("Skipped a change the capture cannot read at offset {}: {}", record.record().sourceOffset(),
                        e.getMessage());
            }
        }
        publisher.publish(changes);
        SourceCursor cursor = CursorOffsetStore.cursorOf(ENGINE, records.get(records.size() - 1).record(),
                OptionalLong.empty());
        checkpoints.commit(checkpoint, cursor);
        for (RecordChangeEvent<SourceRecord> record : records) {
            committer.markProcessed(record);
        }
        committer.markBatchFinished();
        LOG.debug("Captured {} local changes of {} records", changes.size(), records.size());
    }

    Properties engineProperties(Set<String> with) {
        String[] server = properties.hostPortDatabase();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("name", ENGINE);
        config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        config.put("offset.storage", CursorOffsetStore.class.getName());
        config.put("offset.flush.interval.ms", "1000");
        config.put("topic.prefix", ENGINE);
        config.put("database.hostname", server[0]);
        config.put("database.port", server[1]);
        config.put("database.dbname", server[2]);
        config.put("database.user", properties.username());
        config.put("database.password", properties.password());
        config.put("plugin.name", "pgoutput");
        config.put("slot.name", properties.slotName());
        config.put("publication.name", properties.slotName());
        // filtered: at every start Debezium sets the publication's tables to the include list (ALTER PUBLICATION
        // ... SET TABLE), which is how a changed table set reaches PostgreSQL.
        config.put("publication.autocreate.mode", "filtered");
        config.put("table.include.list", with.stream().sorted().map(entity -> "public\\." + entity)
                .collect(Collectors.joining(",")));
        // Rows that exist when capture starts, or when a table joins it, are not the application's changes.
        config.put("snapshot.mode", "no_data");
        config.put("heartbeat.interval.ms", Long.toString(properties.heartbeatInterval().toMillis()));
        config.put("tombstones.on.delete", "false");
        config.put("decimal.handling.mode", "double");
        // in place of an unchanged out-of-line value Debezium cannot take from the row before: the mapper refuses it
        config.put("unavailable.value.placeholder", LocalChangeMapper.UNAVAILABLE);
        Properties result = new Properties();
        result.putAll(config);
        return result;
    }

    /** Closes the current engine and waits for its run to end (the supervisor replaces it next). */
    private void stopEngine() {
        generation.incrementAndGet(); // the run that ends now was stopped, not failed
        closeEngine();
        Future<?> run = engineRun;
        if (run != null) {
            try {
                run.get(ENGINE_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("The capture engine did not stop within {}; interrupting it", ENGINE_STOP_TIMEOUT);
                run.cancel(true);
            } catch (ExecutionException e) {
                LOG.debug("The capture engine ended with {}", e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        engineRun = null;
        engineTables = Set.of();
    }

    private void closeEngine() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> current = engine;
        engine = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                LOG.warn("Closing the capture engine failed: {}", e.toString());
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        generation.incrementAndGet();
        closeEngine();
        for (ExecutorService pool : new ExecutorService[] {supervisor, engineThread}) {
            if (pool != null) {
                pool.shutdownNow();
                try {
                    if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                        LOG.warn("The capture engine did not stop within 30 s");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        supervisor = null;
        engineThread = null;
        LOG.info("Capture from PostgreSQL stopped");
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
