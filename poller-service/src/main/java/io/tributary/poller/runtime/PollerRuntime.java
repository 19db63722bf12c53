package io.tributary.poller.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.status.SourceActivity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;

/**
 * Builds one {@link PartitionWorker} per configured (source, entity) at construction (so a bad kind or
 * kind setting fails the start), loads the checkpoints when started, and drives every worker on its own
 * scheduled loop over a bounded pool: a pass, then {@code poll-interval}, then the next pass.
 */
final class PollerRuntime implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(PollerRuntime.class);

    private final List<PartitionWorker> workers = new ArrayList<>();
    private final CheckpointStore checkpoints;
    private final int threads;
    private volatile boolean running;
    private @Nullable ScheduledExecutorService executor;

    PollerRuntime(PollerProperties properties, List<SourceKind<?>> kinds, Environment environment,
            ChangePublisher publisher, CheckpointStore checkpoints, MeterRegistry registry,
            SourceActivity activity) {
        this.checkpoints = checkpoints;
        this.threads = properties.threads();
        Map<String, SourceKind<?>> byName = new TreeMap<>();
        kinds.forEach(kind -> byName.put(kind.name(), kind));
        Binder binder = Binder.get(environment);
        List<PollerProperties.Source> sources = properties.sources();
        for (int i = 0; i < sources.size(); i++) {
            PollerProperties.Source source = sources.get(i);
            SourceKind<?> kind = byName.get(source.kind());
            if (kind == null) {
                throw new IllegalArgumentException("tributary.poller.sources[" + i + "].kind '" + source.kind()
                        + "' is not a known source kind " + byName.keySet());
            }
            addWorkers(binder, "tributary.poller.sources[" + i + "]", source, kind, publisher, registry, activity);
        }
        LOG.info("Poller: {} partitions on {} threads, publish timeout {}, topics {}", workers.size(), threads,
                properties.publishTimeout(), properties.topics());
    }

    private <P> void addWorkers(Binder binder, String prefix, PollerProperties.Source source, SourceKind<P> kind,
            ChangePublisher publisher, MeterRegistry registry, SourceActivity activity) {
        P settings = binder.bindOrCreate(prefix, Bindable.of(kind.propertiesType()));
        List<String> entities = kind.entities(source.id(), settings, source.entities());
        PassSchedule schedule = kind.schedule(source.id(), settings, source.pollInterval());
        LOG.info("Source {} (kind {}): entities {}, passes {}, {}", source.id(), kind.name(), entities,
                schedule, settings);
        for (String entity : entities) {
            SourcePartition partition = new SourcePartition(source.id(), entity);
            activity.register(partition, kind.name());
            workers.add(new PartitionWorker(partition, kind.createTask(partition, settings), schedule,
                    publisher, checkpoints, registry, activity));
        }
    }

    @Override
    public void start() {
        if (workers.isEmpty()) {
            LOG.info("No sources configured (tributary.poller.sources): nothing to poll");
            running = true;
            return;
        }
        Map<String, SourceCursor> committed = checkpoints.load();
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "poller-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(Math.min(threads, workers.size()), factory);
        executor = pool;
        running = true;
        for (PartitionWorker worker : workers) {
            SourceCursor cursor = committed.get(worker.partition().encode());
            LOG.info("Partition {} starts from {}", worker.partition(), cursor == null ? "the beginning" : cursor.sorted());
            worker.resumeFrom(cursor);
            pool.execute(() -> loop(pool, worker));
        }
    }

    private void loop(ScheduledExecutorService pool, PartitionWorker worker) {
        worker.runPass(() -> running);
        if (running && !pool.isShutdown()) {
            pool.schedule(() -> loop(pool, worker), worker.nextPassIn().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        running = false;
        ScheduledExecutorService pool = executor;
        if (pool != null) {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("Poller threads did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
        workers.forEach(PartitionWorker::stop);
        LOG.info("Poller stopped");
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
