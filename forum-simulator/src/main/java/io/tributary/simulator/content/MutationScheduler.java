package io.tributary.simulator.content;

import io.tributary.simulator.store.ForumCollection;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Background mutations ({@code forum-simulator.mutations.enabled}): every tick, as many operations as the
 * rate allows since the last tick, each chosen by the configured mix. A failed operation is logged and the
 * next one runs.
 */
final class MutationScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MutationScheduler.class);
    private static final long TICK_MILLIS = 50;
    private static final String[] OPERATIONS = {"create", "update", "delete", "bulk"};

    private final ForumMutator mutator;
    private final MutationProperties properties;
    private final SplittableRandom rnd = new SplittableRandom();
    private @Nullable ScheduledExecutorService executor;
    private double budget;
    private long lastTick;

    MutationScheduler(ForumMutator mutator, MutationProperties properties) {
        this.mutator = mutator;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || executor != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "forum-simulator-mutations");
            t.setDaemon(true);
            return t;
        });
        lastTick = System.nanoTime();
        started.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        executor = started;
        log.info("Mutations started: {}/s, mix {}, bulk size {}",
                properties.ratePerSecond(), properties.mix(), properties.bulkSize());
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            running.shutdown();
            try {
                if (!running.awaitTermination(10, TimeUnit.SECONDS)) {
                    running.shutdownNow();
                }
            } catch (InterruptedException e) {
                running.shutdownNow();
                Thread.currentThread().interrupt();
            }
            executor = null;
            log.info("Mutations stopped");
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    private void tick() {
        long now = System.nanoTime();
        budget = Math.min(budget + properties.ratePerSecond() * (now - lastTick) / 1e9,
                Math.max(1, properties.ratePerSecond()));
        lastTick = now;
        MutationProperties.Mix mix = properties.mix();
        int[] weights = {mix.create(), mix.update(), mix.delete(), mix.bulk()};
        while (budget >= 1) {
            budget -= 1;
            String op = ForumMutator.weighted(rnd, weights, OPERATIONS);
            try {
                switch (op) {
                    case "create" -> mutator.create(1);
                    case "update" -> mutator.update(1);
                    case "delete" -> mutator.delete(1);
                    default -> mutator.bulkUpdate(ForumMutator.weighted(rnd, ForumMutator.ENTITY_WEIGHTS,
                            ForumCollection.values()).path(), properties.bulkSize());
                }
            } catch (RuntimeException e) {
                log.warn("Mutation '{}' failed, going on: {}", op, e.toString());
            }
        }
    }
}
