package io.tributary.writer.tombstone;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduled run of the {@link TombstonePurger} (a {@code PeriodicTask} runs it every
 * {@code tributary.writer.tombstones.purge-interval}, the first run one interval after start) that counts what it removed in {@code tributary.writer.tombstones.purged} (tag
 * entity). A failed run is logged and retried at the next interval: nothing depends on it but disk space.
 */
final class TombstonePurgeSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(TombstonePurgeSchedule.class);

    private final TombstonePurger purger;
    private final TombstoneProperties properties;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, Counter> purged = new ConcurrentHashMap<>();

    TombstonePurgeSchedule(TombstonePurger purger, TombstoneProperties properties, EntityCatalog catalog,
            MeterRegistry registry, Clock clock) {
        this.purger = purger;
        this.properties = properties;
        this.clock = clock;
        this.registry = registry;
        track(catalog);
    }

    /** Registers the counter of every entity not seen yet (at 0 from the start, like every writer counter). */
    void track(EntityCatalog catalog) {
        for (EntityDefinition entity : catalog.definitions()) {
            purged.computeIfAbsent(entity.name(), name -> Counter.builder("tributary.writer.tombstones.purged")
                    .description("Tombstones removed after the retention (no row referenced them)")
                    .tag("entity", name).register(registry));
        }
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
