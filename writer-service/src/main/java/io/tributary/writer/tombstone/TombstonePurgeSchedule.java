package io.tributary.writer.tombstone;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link TombstonePurger} every {@code tributary.writer.tombstones.purge-interval} (the first run
 * one interval after start) and counts what it removed in {@code tributary.writer.tombstones.purged} (tag
 * entity). A failed run is logged and retried at the next interval: nothing depends on it but disk space.
 */
final class TombstonePurgeSchedule implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TombstonePurgeSchedule.class);

    private final TombstonePurger purger;
    private final TombstoneProperties properties;
    private final Clock clock;
    private final Map<String, Counter> purged = new LinkedHashMap<>();
    private @Nullable ScheduledExecutorService executor;

    TombstonePurgeSchedule(TombstonePurger purger, TombstoneProperties properties, EntityCatalog catalog,
            MeterRegistry registry, Clock clock) {
        this.purger = purger;
        this.properties = properties;
        this.clock = clock;
        for (EntityDefinition entity : catalog.definitions()) {
            // at 0 from the start, like every writer counter
            purged.put(entity.name(), Counter.builder("tributary.writer.tombstones.purged")
                    .description("Tombstones removed after the retention (no row referenced them)")
                    .tag("entity", entity.name()).register(registry));
        }
    }

    @Override
    public synchronized void start() {
        LOG.info("Tombstone retention: {}", properties);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "writer-tombstone-purge");
            thread.setDaemon(true);
            return thread;
        });
        long period = properties.purgeInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::purge, period, period, TimeUnit.MILLISECONDS);
        executor = scheduler;
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

    void purge() {
        try {
            Map<String, Long> removed = purger.purgeOlderThan(clock.instant().minus(properties.retention()));
            removed.forEach((entity, n) -> {
                Counter counter = purged.get(entity);
                if (counter != null) {
                    counter.increment(n);
                }
            });
            if (removed.values().stream().anyMatch(n -> n > 0)) {
                LOG.info("Purged tombstones older than {}: {}", properties.retention(), removed);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Failed to purge tombstones; retrying in {}", properties.purgeInterval(), e);
        }
    }
}
