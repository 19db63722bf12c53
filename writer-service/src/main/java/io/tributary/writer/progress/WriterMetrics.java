package io.tributary.writer.progress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.model.ChangeTopics;
import io.tributary.model.Operation;
import io.tributary.writer.apply.ApplyResult;
import io.tributary.writer.apply.Outcome;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The writer's meters, and the running totals the progress line reports:
 * <ul>
 *   <li>{@code tributary.writer.applied} (counter; tags entity, op = upsert|delete,
 *       outcome = applied|stale|duplicate)</li>
 *   <li>{@code tributary.writer.batch.size} (distribution of events per committed batch)</li>
 *   <li>{@code tributary.writer.batch.duration} (timer: validate + apply + commit of a batch)</li>
 *   <li>{@code tributary.writer.dead.lettered} (counter; tag entity)</li>
 * </ul>
 */
public final class WriterMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> appliedCounters = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetterCounters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> appliedRows = new LinkedHashMap<>();
    private final AtomicLong deadLettered = new AtomicLong();
    private final DistributionSummary batchSize;
    private final Timer batchDuration;

    public WriterMetrics(MeterRegistry registry, EntityCatalog catalog) {
        this.registry = registry;
        for (EntityDefinition entity : catalog.definitions()) {
            appliedRows.put(entity.name(), new AtomicLong());
        }
        this.batchSize = DistributionSummary.builder("tributary.writer.batch.size")
                .description("Change events per committed batch")
                .baseUnit("events")
                .register(registry);
        this.batchDuration = Timer.builder("tributary.writer.batch.duration")
                .description("Time to validate, apply and commit one batch")
                .register(registry);
    }

    /** Records a committed batch. */
    public void batchCommitted(int events, Duration duration, ApplyResult result) {
        batchSize.record(events);
        batchDuration.record(duration);
        for (ApplyResult.Count count : result.counts()) {
            applied(count.entity(), count.op(), count.outcome()).increment(count.count());
            AtomicLong rows = appliedRows.get(count.entity());
            if (count.outcome() == Outcome.APPLIED && rows != null) {
                rows.addAndGet(count.count());
            }
        }
    }

    /** Records one record sent to the dead-letter topic of {@code topic}. */
    public void deadLettered(String topic) {
        String entity;
        try {
            entity = ChangeTopics.entityOf(topic);
        } catch (IllegalArgumentException e) {
            entity = "unknown";
        }
        deadLetterCounters.computeIfAbsent(entity, e -> Counter.builder("tributary.writer.dead.lettered")
                .description("Records sent to a dead-letter topic")
                .tag("entity", e)
                .register(registry)).increment();
        deadLettered.incrementAndGet();
    }

    private Counter applied(String entity, Operation op, Outcome outcome) {
        String op1 = op.name().toLowerCase(Locale.ROOT);
        return appliedCounters.computeIfAbsent(entity + '|' + op1 + '|' + outcome.tag(),
                k -> Counter.builder("tributary.writer.applied")
                        .description("Change events by outcome")
                        .tag("entity", entity)
                        .tag("op", op1)
                        .tag("outcome", outcome.tag())
                        .register(registry));
    }

    /** Rows written (outcome applied) per entity since start, in apply order. */
    Map<String, Long> appliedRows() {
        Map<String, Long> copy = new LinkedHashMap<>();
        appliedRows.forEach((entity, rows) -> copy.put(entity, rows.get()));
        return copy;
    }

    long deadLetteredTotal() {
        return deadLettered.get();
    }
}
