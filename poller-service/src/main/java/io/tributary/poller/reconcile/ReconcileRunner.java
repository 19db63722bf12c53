package io.tributary.poller.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs verifies and reconciliations one at a time on a single thread (two runs over one source would
 * double its API cost and race on repairs): on demand ({@link #submit}) and, when
 * {@code tributary.poller.reconcile.interval} is positive, a reconciliation of every enumerable source's
 * entities on that schedule.
 */
final class ReconcileRunner implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileRunner.class);

    private final Reconciler reconciler;
    private final Map<String, List<String>> targets;
    private final ReconcileProperties properties;
    private ScheduledExecutorService executor;

    /** @param targets the enumerable sources and their entities */
    ReconcileRunner(Reconciler reconciler, Map<String, List<String>> targets, ReconcileProperties properties) {
        this.reconciler = reconciler;
        this.targets = Map.copyOf(targets);
        this.properties = properties;
    }

    /** Runs the given source/entity pairs in order; the future completes with one report per pair. */
    CompletableFuture<List<DriftReport>> submit(Map<String, List<String>> runs, boolean repair) {
        CompletableFuture<List<DriftReport>> result = new CompletableFuture<>();
        ScheduledExecutorService running = executor;
        if (running == null || running.isShutdown()) {
            result.completeExceptionally(new IllegalStateException("the poller is stopping"));
            return result;
        }
        running.execute(() -> {
            try {
                result.complete(runAll(runs, repair));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(e);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    Map<String, List<String>> targets() {
        return targets;
    }

    private List<DriftReport> runAll(Map<String, List<String>> runs, boolean repair) throws InterruptedException {
        List<DriftReport> reports = new ArrayList<>();
        for (Map.Entry<String, List<String>> source : new java.util.TreeMap<>(runs).entrySet()) {
            for (String entity : source.getValue()) {
                reports.add(reconciler.run(source.getKey(), entity, repair));
            }
        }
        return reports;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-reconcile");
            thread.setDaemon(true);
            return thread;
        });
        if (!properties.interval().isZero() && !targets.isEmpty()) {
            executor.scheduleWithFixedDelay(() -> {
                try {
                    runAll(targets, true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warn("Scheduled reconciliation failed: {}", e.getMessage(), e);
                }
            }, properties.initialDelay().toMillis(), properties.interval().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Reconciliation of {} every {} (first in {}), against the writer at {}", targets,
                    properties.interval(), properties.initialDelay(), properties.writerUrl());
        } else {
            LOG.info("Reconciliation on demand only (POST /reconcile), against the writer at {}", properties.writerUrl());
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null && !executor.isShutdown();
    }
}
