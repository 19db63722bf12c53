package io.tributary.simulator.content;

import io.tributary.simulator.store.ForumCollection;
import java.util.ArrayList;
import java.util.List;
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
 * rate allows since the last tick, each chosen by the configured mix. The tick's single-record operations run
 * in one transaction ({@link ForumMutator#singles}), each bulk update in its own: one transaction per change
 * does not reach 1,000 changes/s on a busy 2-core machine (docs/benchmarks.md, 9c). A failed transaction is
 * logged and the next tick goes on.
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
        List<ForumMutator.Single> singles = new ArrayList<>();
        int bulks = 0;
        while (budget >= 1) {
            budget -= 1;
            switch (ForumMutator.weighted(rnd, weights, OPERATIONS)) {
                case "create" -> singles.add(ForumMutator.Single.CREATE);
                case "update" -> singles.add(ForumMutator.Single.UPDATE);
                case "delete" -> singles.add(ForumMutator.Single.DELETE);
                default -> bulks++;
            }
        }
        if (!singles.isEmpty()) {
            try {
                mutator.singles(singles);
            } catch (RuntimeException e) {
                log.warn("{} single-record mutation(s) failed, going on: {}", singles.size(), e.toString());
            }
        }
        for (int i = 0; i < bulks; i++) {
            try {
                mutator.bulkUpdate(ForumMutator.weighted(rnd, ForumMutator.ENTITY_WEIGHTS,
                        ForumCollection.values()).path(), properties.bulkSize());
            } catch (RuntimeException e) {
                log.warn("Bulk update failed, going on: {}", e.toString());
            }
        }
    }
}
