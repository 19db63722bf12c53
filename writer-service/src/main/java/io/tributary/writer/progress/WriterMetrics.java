package io.tributary.writer.progress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.writer.apply.ApplyResult;
import io.tributary.writer.apply.Outcome;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.RowChange;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

/**
 * The writer's meters, and the running totals the progress line and {@code /status} report:
 * <ul>
 *   <li>{@code tributary.writer.applied} (counter; tags entity, op = upsert|delete,
 *       outcome = applied|stale|duplicate)</li>
 *   <li>{@code tributary.writer.batch.size} (distribution of events per committed batch)</li>
 *   <li>{@code tributary.writer.batch.duration} (timer: validate + apply + commit of a batch)</li>
 *   <li>{@code tributary.writer.dead.lettered} (counter; tag entity)</li>
 *   <li>{@code tributary.writer.freshness} (timer; tag entity): end-to-end freshness, the commit time
 *       minus the record's source version read as epoch milliseconds, for the upserts of a committed batch
 *       (see {@link #isEpochMillis}); histogram buckets {@link #FRESHNESS_BUCKETS} for Prometheus
 *       ({@code histogram_quantile}); p50/p99 over the last few minutes are kept in process for
 *       {@code /status} (Prometheus gets the buckets only)</li>
 * </ul>
 * The consumer lag gauge is {@link ConsumerLag}'s.
 */
public final class WriterMetrics {

    /** Versions below this (2001-09-09) are not epoch milliseconds: a CDC log position, a counter. */
    static final long MIN_EPOCH_MILLIS = 1_000_000_000_000L;
    /** A version this far ahead of our clock is no timestamp either (or the source's clock is broken). */
    static final Duration MAX_CLOCK_AHEAD = Duration.ofDays(1);

    /**
     * The freshness histogram's buckets ({@code le} labels): 16 series per entity, from sub-second webhook
     * latency to a poll interval to an hours-long catch-up; Micrometer's generic percentile histogram would
     * publish ~90 per entity over the same range.
     */
    static final Duration[] FRESHNESS_BUCKETS = LongStream.of(100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
            60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 21_600_000)
            .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Counter> appliedCounters = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetterCounters = new ConcurrentHashMap<>();
    /** In apply order of the entities as they became known; guarded by itself (entities are added while running). */
    private final Map<String, AtomicLong> appliedRows = new LinkedHashMap<>();
    private final Map<String, Timer> freshness = new ConcurrentHashMap<>();
    private final AtomicLong deadLettered = new AtomicLong();
    private final DistributionSummary batchSize;
    private final Timer batchDuration;

    public WriterMetrics(MeterRegistry registry, EntityCatalog catalog) {
        this(registry, catalog, Clock.systemUTC());
    }

    public WriterMetrics(MeterRegistry registry, EntityCatalog catalog, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        track(catalog);
        this.batchSize = DistributionSummary.builder("tributary.writer.batch.size")
                .description("Change events per committed batch")
                .baseUnit("events")
                .register(registry);
        this.batchDuration = Timer.builder("tributary.writer.batch.duration")
                .description("Time to validate, apply and commit one batch")
                .register(registry);
    }

    /**
     * Registers the per-entity meters of the entities of {@code catalog} not seen before (a catalog learnt while the
     * writer runs, decision 0029); an entity's meters are never removed.
     */
    public void track(EntityCatalog catalog) {
        for (EntityDefinition entity : catalog.definitions()) {
            synchronized (appliedRows) {
                if (appliedRows.putIfAbsent(entity.name(), new AtomicLong()) != null) {
                    continue;
                }
            }
            // At 0 from the start: Prometheus' increase() cannot see the first dead letter of a series born at 1.
            deadLetterCounter(entity.name());
            freshness.put(entity.name(), Timer.builder("tributary.writer.freshness")
                    .description("From the record's version time at the source to its commit in the main database")
                    .tag("entity", entity.name())
                    .serviceLevelObjectives(FRESHNESS_BUCKETS)
                    .publishPercentiles(0.5, 0.99)
                    .distributionStatisticExpiry(Duration.ofMinutes(5))
                    .distributionStatisticBufferLength(5)
                    .register(registry));
        }
    }

    /** Records a committed batch: its size, duration, outcomes and the freshness of its upserts. */
    public void batchCommitted(List<RowChange> changes, Duration duration, ApplyResult result) {
        batchSize.record(changes.size());
        batchDuration.record(duration);
        for (ApplyResult.Count count : result.counts()) {
            applied(count.entity(), count.op(), count.outcome()).increment(count.count());
            AtomicLong rows;
            synchronized (appliedRows) {
                rows = appliedRows.get(count.entity());
            }
            if (count.outcome() == Outcome.APPLIED && rows != null) {
                rows.addAndGet(count.count());
            }
        }
        recordFreshness(changes, result);
    }

    /**
     * Freshness of the upserts of a committed batch. An entity whose upserts were all refused by the
     * version guard (a replay of data already stored) is left out: nothing new was applied.
     */
    private void recordFreshness(List<RowChange> changes, ApplyResult result) {
        long now = clock.millis();
        for (RowChange change : changes) {
            Timer timer = freshness.get(change.entity().name());
            if (change.op() != Operation.UPSERT || timer == null || change.origin() == Origin.CDC
                    || !isEpochMillis(change.sourceVersion(), now)
                    || result.count(change.entity().name(), Operation.UPSERT, Outcome.APPLIED) == 0) {
                continue;
            }
            timer.record(Math.max(0, now - change.sourceVersion()), TimeUnit.MILLISECONDS);
        }
    }

    /** Whether a source version reads as a time: epoch milliseconds after 2001 and not a day ahead of us. */
    static boolean isEpochMillis(long sourceVersion, long nowMillis) {
        return sourceVersion >= MIN_EPOCH_MILLIS && sourceVersion <= nowMillis + MAX_CLOCK_AHEAD.toMillis();
    }

    /** Records one record of {@code entity} (as its topic names it) sent to a dead-letter topic. */
    public void deadLettered(String entity) {
        deadLetterCounter(entity).increment();
        deadLettered.incrementAndGet();
    }

    private Counter deadLetterCounter(String entity) {
        return deadLetterCounters.computeIfAbsent(entity, e -> Counter.builder("tributary.writer.dead.lettered")
                .description("Records sent to a dead-letter topic")
                .tag("entity", e)
                .register(registry));
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
        synchronized (appliedRows) {
            appliedRows.forEach((entity, rows) -> copy.put(entity, rows.get()));
        }
        return copy;
    }

    long deadLetteredTotal() {
        return deadLettered.get();
    }

    /**
     * The freshness p99 of an entity in seconds over the last few minutes (the timer's decaying window);
     * empty when nothing was recorded in that window or the entity is unknown.
     */
    OptionalDouble freshnessP99Seconds(String entity) {
        Timer timer = freshness.get(entity);
        if (timer == null || timer.count() == 0) {
            return OptionalDouble.empty();
        }
        HistogramSnapshot snapshot = timer.takeSnapshot();
        for (ValueAtPercentile percentile : snapshot.percentileValues()) {
            if (percentile.percentile() == 0.99 && percentile.value() > 0) {
                return OptionalDouble.of(percentile.value(TimeUnit.SECONDS));
            }
        }
        return OptionalDouble.empty();
    }
}
