package io.tributary.poller.outbound;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.debezium.embedded.Connect;
import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.outbound.LocalChange;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.cdc.CursorOffsetStore;
import io.tributary.poller.runtime.CheckpointStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 */
final class PostgresCapture implements SmartLifecycle {

    static final String ENGINE = "tributary-outbound-capture";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCapture.class);

    private final CaptureProperties properties;
    private final OutboundPublisher publisher;
    private final CheckpointStore checkpoints;
    /** Checkpoint key: {@code outbound-capture/<slot>}; a new slot is a new stream. */
    private final SourcePartition checkpoint;
    private volatile boolean running;
    private @Nullable ScheduledExecutorService executor;
    private volatile @Nullable DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

    PostgresCapture(CaptureProperties properties, OutboundPublisher publisher, CheckpointStore checkpoints) {
        this.properties = properties;
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.checkpoint = new SourcePartition(ChangelogCapture.CHECKPOINT.sourceId(), properties.slotName());
    }

    @Override
    public void start() {
        ScheduledExecutorService pool = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outbound-capture");
            thread.setDaemon(true);
            return thread;
        });
        executor = pool;
        running = true;
        pool.execute(() -> run(pool));
    }

    /** Runs one engine until it stops; a failure schedules the next run. */
    private void run(ScheduledExecutorService pool) {
        try {
            Optional<SourceCursor> stored = Optional.ofNullable(checkpoints.load().get(checkpoint.encode()));
            Properties config = engineProperties();
            config.putAll(CursorOffsetStore.seed(stored));
            DebeziumEngine<RecordChangeEvent<SourceRecord>> created = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                    .using(config)
                    .notifying(this::handleBatch)
                    .using((success, message, error) -> {
                        if (running && !success) {
                            LOG.warn("Capture engine stopped: {}; it starts again from the stored offset in {}",
                                    message, properties.retryBackoff(), error);
                        }
                    })
                    .build();
            engine = created;
            LOG.info("Capture of {} from PostgreSQL {} started {} (slot {})", properties.entities(),
                    properties.hostPortDatabase()[2], stored.isPresent() ? "from the stored offset" : "at the current WAL",
                    properties.slotName());
            created.run(); // returns when the engine stops
        } catch (RuntimeException e) {
            LOG.warn("Capture from PostgreSQL failed; it starts again from the stored offset in {}: {}",
                    properties.retryBackoff(), e.toString(), e);
        } finally {
            closeEngine();
        }
        if (running && !pool.isShutdown()) {
            pool.schedule(() -> run(pool), properties.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> records,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        if (records.isEmpty()) {
            return;
        }
        List<LocalChange> changes = new ArrayList<>(records.size());
        for (RecordChangeEvent<SourceRecord> record : records) {
            try {
                LocalChangeMapper.map(record.record()).ifPresent(changes::add);
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

    Properties engineProperties() {
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
        config.put("publication.autocreate.mode", "filtered");
        config.put("table.include.list", properties.entities().stream().map(entity -> "public\\." + entity)
                .collect(Collectors.joining(",")));
        // Rows that exist when capture starts are not the application's changes.
        config.put("snapshot.mode", "no_data");
        config.put("heartbeat.interval.ms", Long.toString(properties.heartbeatInterval().toMillis()));
        config.put("tombstones.on.delete", "false");
        config.put("decimal.handling.mode", "double");
        Properties result = new Properties();
        result.putAll(config);
        return result;
    }

    private void closeEngine() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine;
        engine = null;
        if (running != null) {
            try {
                running.close();
            } catch (IOException e) {
                LOG.warn("Closing the capture engine failed: {}", e.toString());
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        closeEngine();
        ScheduledExecutorService pool = executor;
        executor = null;
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
        LOG.info("Capture from PostgreSQL stopped");
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
