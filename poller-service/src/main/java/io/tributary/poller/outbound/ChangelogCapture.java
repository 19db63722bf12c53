package io.tributary.poller.outbound;

import io.tributary.model.outbound.LocalChange;
import io.tributary.model.outbound.OutboundTopics;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.runtime.CheckpointStore;
import io.tributary.poller.runtime.TopicCreator;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * SQLite capture: reads the changelog after the stored position in batches; each batch is published, its last
 * sequence number stored in the checkpoint topic once Kafka acknowledged it, then the changelog rows up to it are
 * purged. While the poller is down the changelog only grows, so nothing is lost; a crash between the
 * acknowledgement and the checkpoint publishes that batch again on restart, with the same change ids. A failure
 * (broker, database) stops the pass; the next starts from the stored position after {@code retry-backoff}.
 *
 * <p>Which entities are in the changelog is decided where the rows are written: the writer's triggers, which it
 * installs for its two-way entities (decision 0030). So every row is published, also one of an entity this poller
 * does not (yet) count as two-way — a definition the writer read before this poller did, or one no longer two-way
 * whose triggers the writer has not dropped yet. Holding it back would stop the capture of every entity behind
 * it; skipping it could lose a change. Such an entity is logged once at WARN; the writer delivers it, or not, by its
 * own definitions. Before a batch is published, the outbound topics of the captured entities and of every entity
 * in the batch are created if they are missing.
 */
final class ChangelogCapture implements SmartLifecycle {

    /** Checkpoint key of the SQLite capture: {@code outbound-capture/sqlite}. */
    static final SourcePartition CHECKPOINT = new SourcePartition("outbound-capture", "sqlite");
    static final String SEQUENCE = "seq";
    static final String ORIGIN = "changelog";
    private static final Logger LOG = LoggerFactory.getLogger(ChangelogCapture.class);

    private final CaptureProperties properties;
    private final Changelog changelog;
    private final OutboundPublisher publisher;
    private final CheckpointStore checkpoints;
    private final CapturedEntities captured;
    private final TopicCreator topics;
    private final Set<String> warnedUncounted = new HashSet<>();
    private volatile boolean running;
    private @Nullable ScheduledExecutorService executor;
    private volatile @Nullable Long position;
    private String origin = "";
    private boolean waitingLogged;

    ChangelogCapture(CaptureProperties properties, OutboundPublisher publisher, CheckpointStore checkpoints,
            CapturedEntities captured, TopicCreator topics) {
        this.properties = properties;
        this.changelog = new Changelog(properties.path(), properties.busyTimeout());
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.captured = captured;
        this.topics = topics;
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
        pool.execute(() -> loop(pool));
        LOG.info("Capture of {} from the changelog of {} started", captured.isLoaded() ? captured.entities()
                : properties.entities() + " and the two-way definitions' entities", properties.path());
    }

    private void loop(ScheduledExecutorService pool) {
        long pause = properties.pollInterval().toMillis();
        try {
            drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException | SQLException e) {
            if (!running) {
                return;
            }
            LOG.warn("Capture from the changelog failed at position {}; it starts again from the stored position in"
                    + " {}: {}", position, properties.retryBackoff(), e.toString(), e);
            changelog.close(); // what was not stored is read again from the last stored position
            pause = properties.retryBackoff().toMillis();
        }
        if (running && !pool.isShutdown()) {
            pool.schedule(() -> loop(pool), pause, TimeUnit.MILLISECONDS);
        }
    }

    /** Publishes the changelog to its end. */
    private void drain() throws InterruptedException, SQLException {
        if (!changelog.exists()) {
            if (!waitingLogged) {
                LOG.warn("No changelog table {} in {} yet: the writer creates it at start for entities marked two-way",
                        Changelog.TABLE, properties.path());
                waitingLogged = true;
            }
            return;
        }
        if (!captured.isLoaded()) {
            return; // the two-way definitions are being read: a row of theirs would be taken for an unknown entity
        }
        topics.ensure(captured.entities().stream().map(OutboundTopics::forEntity).toList());
        long from = position == null ? loadPosition() : position;
        while (running) {
            List<LocalChange> batch = changelog.readAfter(from, properties.batchSize());
            if (batch.isEmpty()) {
                return;
            }
            Set<String> entities = captured.entities();
            Set<String> inBatch = new TreeSet<>();
            batch.forEach(change -> inBatch.add(change.entity()));
            for (String entity : inBatch) {
                if (!entities.contains(entity) && warnedUncounted.add(entity)) {
                    LOG.warn("The changelog holds changes of '{}', which neither tributary.poller.capture.entities nor"
                            + " a two-way definition names here (the captured entities are {}): published all the same,"
                            + " since the writer's triggers capture it; its delivery follows the writer's definitions",
                            entity, entities);
                }
            }
            topics.ensure(inBatch.stream().map(OutboundTopics::forEntity).toList());
            publisher.publish(batch);
            long last = batch.get(batch.size() - 1).position();
            checkpoints.commit(CHECKPOINT, new SourceCursor(Map.of(SEQUENCE, Long.toString(last), ORIGIN, origin)));
            position = last;
            from = last;
            LOG.debug("Captured {} local changes up to changelog position {}", batch.size(), last);
            purge(last);
        }
    }

    /**
     * The stored position, if it is a position in this changelog: a position of another changelog (the main
     * database file was replaced, and the writer created a new changelog) starts from this one's beginning. A
     * position beyond the changelog's last sequence number (the same file restored from a backup) stops the capture,
     * since changes made after the restore would be skipped.
     */
    private long loadPosition() throws SQLException {
        String origin = changelog.origin();
        SourceCursor cursor = checkpoints.load().get(CHECKPOINT.encode());
        long stored = 0;
        if (cursor != null && origin.equals(cursor.fields().get(ORIGIN))) {
            stored = Long.parseLong(cursor.fields().getOrDefault(SEQUENCE, "0"));
        } else if (cursor != null) {
            LOG.warn("The stored capture position {} belongs to changelog {}, the main database has changelog {} (a new"
                    + " database file): capturing this one from its beginning", cursor.sorted(),
                    cursor.fields().get(ORIGIN), origin);
        }
        OptionalLong last = changelog.lastSequence();
        if (stored > 0 && last.orElse(0) < stored) {
            throw new IllegalStateException("The stored capture position " + stored + " is ahead of the changelog's"
                    + " last sequence number " + (last.isPresent() ? last.getAsLong() : "(none)") + " in "
                    + properties.path() + ": the main database was restored from a backup. Changes after the restore"
                    + " would be skipped, so the capture stops; see docs/operations.md to reset its checkpoint.");
        }
        LOG.info("Capture resumes after position {} of changelog {}", stored, origin);
        this.origin = origin;
        position = stored;
        return stored;
    }

    /** Rows at or below a stored position are never needed again; a busy database leaves them for the next purge. */
    private void purge(long through) {
        try {
            long purged = changelog.purgeThrough(through, properties.batchSize());
            LOG.debug("Purged {} changelog rows up to {}", purged, through);
        } catch (SQLException e) {
            LOG.warn("Purging the changelog up to {} failed; the next batch purges it: {}", through, e.toString());
        }
    }

    @Override
    public void stop() {
        running = false;
        ScheduledExecutorService pool = executor;
        executor = null;
        if (pool != null) {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("The capture thread did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        changelog.close();
        LOG.info("Capture from the changelog stopped at position {}", position);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
