package io.tributary.runtime.schedule;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A task run again and again on its own named daemon thread while the application runs (a lifecycle bean): the
 * first run after {@code initialDelay}, then {@code period} after each run ends. A failed run is logged and the
 * next one still comes; stopping interrupts a run in progress. For the services' housekeeping (progress lines,
 * tombstone purges), which should neither share a thread nor stop the application when they fail.
 */
public final class PeriodicTask implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration initialDelay;
    private final Duration period;
    private final Runnable task;
    private @Nullable ScheduledExecutorService executor;

    /** {@code name}: the thread's name, and what a failure is logged as. */
    public PeriodicTask(String name, Duration initialDelay, Duration period, Runnable task) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException(name + ": the period must be positive, was " + period);
        }
        this.name = name;
        this.initialDelay = initialDelay;
        this.period = period;
        this.task = task;
    }

    @Override
    public synchronized void start() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::runOnce, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        executor = scheduler;
    }

    private void runOnce() {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed (it runs again in {}): {}", name, period, e.toString(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
