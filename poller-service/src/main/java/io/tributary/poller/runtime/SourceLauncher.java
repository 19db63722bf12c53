package io.tributary.poller.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeTopics;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.status.SourceActivity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a source while the poller runs (the sources that arrive on the config topic, decision 0022) and
 * hands back what stops it. Its partitions are the same {@link PartitionWorker}s the static sources run, so
 * a live source publishes, checkpoints and reports exactly like a configured one; they loop on one thread of
 * their own, so stopping a source never waits for another source's pass. Before the first pass its change
 * topics ({@code tributary.changes.<entity>} and {@code .dlt}) are created (decision 0030): a broker without
 * auto-creation would otherwise fail every pass. A failure to create them is shown in the source's status and
 * tried again after {@code tributary.poller.topics.create-retry}, doubling up to a minute; no pass runs before.
 */
public final class SourceLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(SourceLauncher.class);
    private static final Duration MAX_CREATE_RETRY = Duration.ofMinutes(1);

    private final ChangePublisher publisher;
    private final CheckpointStore checkpoints;
    private final MeterRegistry registry;
    private final SourceActivity activity;
    private final TopicCreator topics;
    private final Duration createRetry;

    SourceLauncher(ChangePublisher publisher, CheckpointStore checkpoints, MeterRegistry registry,
            SourceActivity activity, TopicCreator topics, Duration createRetry) {
        this.publisher = publisher;
        this.checkpoints = checkpoints;
        this.registry = registry;
        this.activity = activity;
        this.topics = topics;
        this.createRetry = createRetry;
    }

    /**
     * Builds the source's tasks (a bad setting throws here, before anything runs) and starts polling them.
     *
     * @param organization the organization the source belongs to (shown on the status page beside its figures)
     * @param fromScratch  start every entity from an empty cursor (a resync) instead of its checkpoint
     */
    public <P> RunningSource start(String organization, String sourceId, SourceKind<P> kind, P settings,
            boolean fromScratch) {
        List<String> entities = kind.entities(sourceId, settings, List.of());
        PassSchedule schedule = kind.schedule(sourceId, settings, Duration.ofSeconds(30));
        List<PartitionWorker> workers = new ArrayList<>();
        for (String entity : entities) {
            SourcePartition partition = new SourcePartition(sourceId, entity);
            workers.add(new PartitionWorker(partition, kind.createTask(partition, settings), schedule, publisher,
                    checkpoints, registry, activity));
        }
        Map<String, SourceCursor> committed = fromScratch ? Map.of() : checkpoints.load();
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "live-" + sourceId);
            thread.setDaemon(true);
            return thread;
        });
        List<String> names = new ArrayList<>();
        for (String entity : entities) {
            names.add(ChangeTopics.forEntity(entity));
            names.add(ChangeTopics.deadLetterOf(ChangeTopics.forEntity(entity)));
        }
        RunningSource running = new RunningSource(sourceId, workers, loop, names);
        for (PartitionWorker worker : workers) {
            activity.register(worker.partition(), kind.name(), organization);
            SourceCursor cursor = committed.get(worker.partition().encode());
            LOG.info("Live source {}: partition {} starts from {}", sourceId, worker.partition(),
                    cursor == null ? "the beginning" : cursor.sorted());
            worker.resumeFrom(cursor);
        }
        loop.execute(() -> running.createTopics(createRetry));
        return running;
    }

    /** A started source: {@link #stop()} ends its passes (a page in flight is not checkpointed) and its tasks. */
    public final class RunningSource {

        private final String sourceId;
        private final List<PartitionWorker> workers;
        private final ScheduledExecutorService loop;
        private final List<String> topicNames;
        private volatile boolean running = true;

        private RunningSource(String sourceId, List<PartitionWorker> workers, ScheduledExecutorService loop,
                List<String> topicNames) {
            this.sourceId = sourceId;
            this.workers = List.copyOf(workers);
            this.loop = loop;
            this.topicNames = List.copyOf(topicNames);
        }

        /** Creates the change topics, then starts every partition's loop; on failure, tries again after {@code pause}. */
        private void createTopics(Duration pause) {
            try {
                topics.ensure(topicNames);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running || loop.isShutdown()) {
                    return;
                }
                String error = "change topics not created, no pass before they are (next attempt in "
                        + pause.toMillis() + " ms): " + e.getMessage();
                workers.forEach(worker -> activity.notStarted(worker.partition(), error));
                LOG.warn("Live source {}: {}", sourceId, error);
                Duration doubled = pause.multipliedBy(2);
                Duration next = doubled.compareTo(MAX_CREATE_RETRY) > 0 ? MAX_CREATE_RETRY : doubled;
                loop.schedule(() -> createTopics(next), pause.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            for (PartitionWorker worker : workers) {
                loop.execute(() -> loop(worker));
            }
        }

        private void loop(PartitionWorker worker) {
            worker.runPass(() -> running);
            if (running && !loop.isShutdown()) {
                loop.schedule(() -> loop(worker), worker.nextPassIn().toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        public List<String> entities() {
            return workers.stream().map(worker -> worker.partition().entity()).toList();
        }

        public void stop() {
            running = false;
            loop.shutdownNow();
            try {
                if (!loop.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("Live source {}: its pass did not stop within 30 s", sourceId);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            workers.forEach(PartitionWorker::stop);
        }
    }
}
