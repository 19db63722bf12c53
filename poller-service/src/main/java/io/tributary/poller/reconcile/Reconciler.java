package io.tributary.poller.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.Origin;
import io.tributary.model.RefreshRequest;
import io.tributary.model.inventory.InventoryDigest;
import io.tributary.model.inventory.InventoryEntry;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.runtime.ChangePublisher;
import io.tributary.poller.runtime.RecordRefresher;
import io.tributary.poller.runtime.SourceInventory;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verify or reconciliation of one source's entity:
 * <ol>
 *   <li>scan the source completely ({@link SourceInventory}) into a bucketed digest, keeping the entries in
 *       memory up to {@code memory-records};</li>
 *   <li>read the main DB's digest from the writer and compare: equal digests are zero drift, and the run
 *       ends there;</li>
 *   <li>otherwise read the main DB's entries of the differing buckets, and the source's (from memory, or
 *       from a second scan that keeps only those buckets), and classify each difference
 *       ({@link InventoryComparison});</li>
 *   <li>reconcile only: read each drifting record again at the source ({@link RecordRefresher}: the record
 *       now, or a DELETE on 404) and publish the events with origin {@code RECONCILE}, waiting for Kafka's
 *       acknowledgement. A record is deleted only because the source answered 404 for it, never because a
 *       scan missed it, and nothing is repaired when a scan or a read failed.</li>
 * </ol>
 * Not thread-safe: the {@link ReconcileRunner}'s single thread calls it.
 */
final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final int PUBLISH_CHUNK = 500;

    private final Map<String, SourceInventory> inventories;
    private final Map<String, RecordRefresher> refreshers;
    private final WriterInventoryClient writer;
    private final ChangePublisher publisher;
    private final ReconcileProperties properties;
    private final MeterRegistry registry;
    private final InstantSource clock;
    private final Map<String, AtomicLong> driftGauges = new ConcurrentHashMap<>();
    private final Map<String, DriftReport> last = new ConcurrentHashMap<>();

    Reconciler(Map<String, SourceInventory> inventories, Map<String, RecordRefresher> refreshers,
            WriterInventoryClient writer, ChangePublisher publisher, ReconcileProperties properties,
            MeterRegistry registry, InstantSource clock) {
        this.inventories = Map.copyOf(inventories);
        this.refreshers = Map.copyOf(refreshers);
        this.writer = writer;
        this.publisher = publisher;
        this.properties = properties;
        this.registry = registry;
        this.clock = clock;
    }

    /** The last report of every source and entity run so far, keyed {@code source/entity}. */
    Map<String, DriftReport> lastReports() {
        return Map.copyOf(last);
    }

    DriftReport run(String sourceId, String entity, boolean repair) throws InterruptedException {
        String mode = repair ? "reconcile" : "verify";
        Instant started = clock.instant();
        SourceInventory inventory = inventories.get(sourceId);
        DriftReport report;
        if (inventory == null) {
            report = DriftReport.failed(sourceId, entity, mode, started, clock.instant(),
                    "source '" + sourceId + "' cannot be enumerated (its kind has no inventory)");
        } else {
            try {
                report = compare(sourceId, entity, inventory, repair, mode, started);
            } catch (RuntimeException e) {
                LOG.warn("{} of {}/{} did not complete, nothing was repaired: {}", mode, sourceId, entity, e.getMessage());
                report = DriftReport.failed(sourceId, entity, mode, started, clock.instant(), e.getMessage());
            }
        }
        record(report);
        return report;
    }

    private DriftReport compare(String sourceId, String entity, SourceInventory inventory, boolean repair, String mode,
            Instant started) throws InterruptedException {
        int buckets = properties.buckets();
        Progress progress = new Progress(sourceId, entity, mode);
        Map<String, Long> kept = new HashMap<>();
        boolean[] overflow = {false};
        InventoryDigest scanned = InventoryDigest.empty(buckets);
        inventory.scan(entity, progress.counting((id, version) -> {
            scanned.add(id, version);
            if (!overflow[0]) {
                kept.merge(id, version, Math::max);
                if (kept.size() > properties.memoryRecords()) {
                    overflow[0] = true;
                    kept.clear();
                }
            }
        }));
        // Without overflow, the digest of the de-duplicated entries: a record visited at two versions
        // (changed during the scan) then makes no bucket differ by itself.
        InventoryDigest sourceDigest = overflow[0] ? scanned : digestOf(kept, buckets);
        long sourceRecords = overflow[0] ? progress.visited : kept.size();
        InventoryDigest mainDbDigest = writer.digest(sourceId, entity, buckets);
        List<Integer> differing = sourceDigest.differingBuckets(mainDbDigest);
        if (differing.isEmpty()) {
            return new DriftReport(sourceId, entity, mode, started, clock.instant(), true, sourceRecords,
                    mainDbDigest.total(), 0, 1, 0, 0, 0, 0, 0, DriftReport.Samples.none(), null);
        }
        Set<Integer> differingSet = new HashSet<>(differing);
        Map<String, Long> source = new HashMap<>();
        Instant scanStarted = started;
        int scans = 1;
        if (overflow[0]) {
            scans = 2;
            scanStarted = clock.instant();
            Progress second = new Progress(sourceId, entity, mode + " (second scan, " + differing.size() + " buckets)");
            inventory.scan(entity, second.counting((id, version) -> {
                if (differingSet.contains(InventoryDigest.bucketOf(id, buckets))) {
                    source.merge(id, version, Math::max);
                }
            }));
        } else {
            kept.forEach((id, version) -> {
                if (differingSet.contains(InventoryDigest.bucketOf(id, buckets))) {
                    source.put(id, version);
                }
            });
        }
        Map<String, Long> mainDb = new HashMap<>();
        for (InventoryEntry entry : writer.entries(sourceId, entity, buckets, differing)) {
            mainDb.put(entry.externalId(), entry.version());
        }
        InventoryComparison.Result result = InventoryComparison.compare(source, mainDb, scanStarted, clock.instant(),
                properties.settle());
        long repaired = 0;
        String error = null;
        if (repair && result.drift() > 0) {
            Repair outcome = repair(sourceId, entity, result);
            repaired = outcome.published;
            error = outcome.error;
        }
        int sample = properties.sampleSize();
        DriftReport report = new DriftReport(sourceId, entity, mode, started, clock.instant(), true, sourceRecords,
                mainDbDigest.total(), differing.size(), scans, result.missing().size(), result.extra().size(),
                result.stale().size(), result.inFlight(), repaired,
                new DriftReport.Samples(head(result.missing(), sample), head(result.extra(), sample),
                        head(result.stale(), sample)), error);
        LOG.info("{} of {}/{}: {} source records, {} main-DB rows, {} differing buckets; missing {}, extra {}, stale {},"
                        + " in flight {}{}", mode, sourceId, entity, report.sourceRecords(), report.mainDbRecords(),
                differing.size(), report.missing(), report.extra(), report.stale(), report.inFlight(),
                repair ? "; repaired " + repaired : "");
        return report;
    }

    private record Repair(long published, @Nullable String error) {
    }

    /** Reads every drifting record again at the source and publishes what is there now (404 → DELETE). */
    private Repair repair(String sourceId, String entity, InventoryComparison.Result result) throws InterruptedException {
        RecordRefresher refresher = refreshers.get(sourceId);
        if (refresher == null) {
            return new Repair(0, "source '" + sourceId + "' cannot read single records: drift reported, not repaired");
        }
        SourcePartition partition = new SourcePartition(sourceId, entity);
        List<ChangeEvent> events = new ArrayList<>();
        long published = 0;
        long failed = 0;
        String firstFailure = null;
        for (Map.Entry<String, List<String>> kind : Map.of("missing", result.missing(), "extra", result.extra(),
                "stale", result.stale()).entrySet()) {
            for (String id : kind.getValue()) {
                try {
                    events.add(refresher.refresh(new RefreshRequest(sourceId, entity, id, clock.instant(),
                            Origin.RECONCILE, "reconcile: " + kind.getKey())));
                    repairedCounter(sourceId, entity, kind.getKey()).increment();
                } catch (RuntimeException e) {
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = e.getMessage();
                    }
                }
                if (events.size() >= PUBLISH_CHUNK) {
                    publisher.publish(partition, events);
                    published += events.size();
                    events.clear();
                }
            }
        }
        publisher.publish(partition, events);
        published += events.size();
        return new Repair(published, failed == 0 ? null
                : failed + " record(s) could not be read again at the source (next run retries them); first: " + firstFailure);
    }

    private void record(DriftReport report) {
        last.put(report.source() + "/" + report.entity(), report);
        Counter.builder("tributary.verify.runs")
                .tags("source", report.source(), "entity", report.entity(), "mode", report.mode(),
                        "outcome", report.complete() ? "complete" : "failed")
                .description("Verify and reconciliation runs, by outcome")
                .register(registry)
                .increment();
        if (!report.complete()) {
            return;
        }
        drift(report, "missing").set(report.missing());
        drift(report, "extra").set(report.extra());
        drift(report, "stale").set(report.stale());
        gauge("tributary.verify.last.complete", report.source(), report.entity(), null,
                "When the last complete verify or reconciliation finished (Unix seconds)")
                .set(report.finishedAt().getEpochSecond());
    }

    private AtomicLong drift(DriftReport report, String kind) {
        return gauge("tributary.verify.drift", report.source(), report.entity(), kind,
                "Records that differed between the source and the main DB at the last complete verify or"
                        + " reconciliation (before its repairs), by kind: missing, extra, stale");
    }

    private AtomicLong gauge(String name, String source, String entity, @Nullable String kind, String description) {
        return driftGauges.computeIfAbsent(name + "|" + source + "|" + entity + "|" + kind, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.Builder<AtomicLong> builder = Gauge.builder(name, value, AtomicLong::get)
                    .tags("source", source, "entity", entity)
                    .description(description);
            if (kind != null) {
                builder.tag("kind", kind);
            }
            builder.register(registry);
            return value;
        });
    }

    private Counter repairedCounter(String sourceId, String entity, String kind) {
        return Counter.builder("tributary.reconcile.repaired")
                .tags("source", sourceId, "entity", entity, "kind", kind)
                .description("Drifting records read again at the source and published by reconciliation")
                .register(registry);
    }

    private static InventoryDigest digestOf(Map<String, Long> entries, int buckets) {
        InventoryDigest digest = InventoryDigest.empty(buckets);
        entries.forEach(digest::add);
        return digest;
    }

    private static List<String> head(List<String> ids, int size) {
        return ids.subList(0, Math.min(size, ids.size()));
    }

    /** Counts visited records and logs progress every few seconds: a scan of millions takes minutes. */
    private final class Progress {

        private final String sourceId;
        private final String entity;
        private final String what;
        private long visited;
        private Instant nextLog;

        Progress(String sourceId, String entity, String what) {
            this.sourceId = sourceId;
            this.entity = entity;
            this.what = what;
            this.nextLog = clock.instant().plus(PROGRESS_EVERY);
        }

        ObjLongConsumer<String> counting(ObjLongConsumer<String> visitor) {
            return (id, version) -> {
                visitor.accept(id, version);
                visited++;
                if ((visited & 1023) == 0 && clock.instant().isAfter(nextLog)) {
                    nextLog = clock.instant().plus(PROGRESS_EVERY);
                    LOG.info("{} of {}/{}: {} records scanned so far", what, sourceId, entity, visited);
                }
            };
        }
    }
}
