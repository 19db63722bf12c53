package io.tributary.poller.status;

import io.tributary.model.spi.SourcePartition;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What every partition of every source did, for {@code GET /status}: the runtime reports each pass here
 * (its cursor, records and pages, or its failure), a source kind each record it dead-letters; this keeps the totals,
 * the last poll time, the last {@value #MAX_ERRORS} errors and the last {@value #MAX_REJECTIONS} rejected records per
 * source. Error messages are the failures' own messages (a source kind keeps secrets out of them, as out of its
 * logs); a rejection holds the target field and the reason without the record's values (personal data). Thread-safe: one partition's loop at a time writes its entry.
 */
public final class SourceActivity {

    static final int MAX_ERRORS = 10;
    static final int MAX_REJECTIONS = 10;

    private final InstantSource clock;
    private final Instant startedAt;
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Map<String, PollerStatus.Refusal> refused = new TreeMap<>();
    /** Per source id, what the capture of local changes says about it (two-way sources only); kept apart from
     *  {@link #sources} because a capture may know a source before (or without) this poller running it. */
    private final Map<String, String> capture = new HashMap<>();

    public SourceActivity(InstantSource clock) {
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** A partition the runtime drives; called at start-up, before any pass. */
    public synchronized void register(SourcePartition partition, String kind) {
        register(partition, kind, null);
    }

    /** A partition of a source of {@code organization} (a live source), or of a configured one (null). */
    public synchronized void register(SourcePartition partition, String kind, @Nullable String organization) {
        sources.computeIfAbsent(partition.sourceId(), id -> new Source(kind, organization)).entities
                .put(partition.entity(), new Entity());
    }

    /** The config topic's value of {@code key} is not run, for {@code reason}; replaces an earlier refusal of it. */
    public synchronized void refused(String key, String organization, String sourceId, String reason) {
        refused.put(key, new PollerStatus.Refusal(key, organization, sourceId, reason, clock.instant()));
    }

    /** The value of {@code key} was applied (or deleted): no refusal of it stands. */
    public synchronized void accepted(String key) {
        refused.remove(key);
    }

    /** How many topic values are refused now (a gauge). */
    public synchronized int refusedCount() {
        return refused.size();
    }

    /** A source that no longer runs (deleted from the config topic): it leaves the status page. */
    public synchronized void forget(String sourceId) {
        sources.remove(sourceId);
    }

    /** Whether a two-way source's local changes are captured, or why not; null: one-way (nothing to say). */
    public synchronized void capture(String sourceId, @Nullable String note) {
        if (note == null) {
            capture.remove(sourceId);
        } else {
            capture.put(sourceId, note);
        }
    }

    /**
     * A partition that could not start its first pass (its topics could not be created): an error on the source,
     * and the entity's last error time; no pass is counted.
     */
    public synchronized void notStarted(SourcePartition partition, String error) {
        Instant now = clock.instant();
        entity(partition).lastErrorAt = now;
        addError(partition, now, error);
    }

    /** A pass that ended caught up (or was stopped) after publishing {@code records} in {@code pages}. */
    public synchronized void passSucceeded(SourcePartition partition, @Nullable Map<String, String> cursor, long records,
            long pages) {
        Entity entity = entity(partition);
        entity.lastPollAt = clock.instant();
        entity.cursor = cursor;
        entity.records += records;
        entity.pages += pages;
        entity.passes++;
    }

    /** A pass that failed after publishing {@code records} in {@code pages}; the next one restarts from {@code cursor}. */
    public synchronized void passFailed(SourcePartition partition, @Nullable Map<String, String> cursor, long records,
            long pages, String error) {
        Instant now = clock.instant();
        Entity entity = entity(partition);
        entity.lastPollAt = now;
        entity.lastErrorAt = now;
        entity.cursor = cursor;
        entity.records += records;
        entity.pages += pages;
        entity.passes++;
        entity.failedPasses++;
        addError(partition, now, error);
    }

    /**
     * A record of the partition that could not be mapped and was dead-lettered: counted, and kept among the source's
     * last {@value #MAX_REJECTIONS} with the target field and the reason without the record's values. A partition not
     * (or no longer) on the status page is not counted here: a source deleted while its last pass ends must not fail it.
     */
    public synchronized void rejected(SourcePartition partition, String fieldPath, String reasonWithoutValues) {
        Instant now = clock.instant();
        Source source = sources.get(partition.sourceId());
        Entity entity = source == null ? null : source.entities.get(partition.entity());
        if (entity == null) {
            return;
        }
        entity.rejected++;
        entity.lastRejectedAt = now;
        pushNewest(source.rejections, new PollerStatus.Rejection(now, partition.entity(), fieldPath, reasonWithoutValues),
                MAX_REJECTIONS);
    }

    private void addError(SourcePartition partition, Instant at, String error) {
        pushNewest(sources.get(partition.sourceId()).errors, new PollerStatus.Error(at, partition.entity(), error),
                MAX_ERRORS);
    }

    /** Newest first, keeping the last {@code max}. */
    private static <T> void pushNewest(Deque<T> latest, T item, int max) {
        latest.addFirst(item);
        while (latest.size() > max) {
            latest.removeLast();
        }
    }

    public synchronized PollerStatus snapshot() {
        List<PollerStatus.SourceStatus> list = new ArrayList<>();
        sources.forEach((id, source) -> {
            Map<String, PollerStatus.EntityStatus> entities = new LinkedHashMap<>();
            source.entities.forEach((name, e) -> entities.put(name, new PollerStatus.EntityStatus(
                    e.cursor == null ? null : new TreeMap<>(e.cursor), e.lastPollAt, e.lastErrorAt, e.records, e.pages,
                    e.passes, e.failedPasses, e.rejected, e.lastRejectedAt)));
            list.add(new PollerStatus.SourceStatus(id, source.kind, source.organization, entities,
                    List.copyOf(source.errors), List.copyOf(source.rejections), capture.get(id)));
        });
        return new PollerStatus(clock.instant(), startedAt, list, List.copyOf(refused.values()));
    }

    private Entity entity(SourcePartition partition) {
        Source source = sources.get(partition.sourceId());
        Entity entity = source == null ? null : source.entities.get(partition.entity());
        if (entity == null) {
            throw new IllegalStateException(partition + " was never registered");
        }
        return entity;
    }

    private static final class Source {
        final String kind;
        final @Nullable String organization;
        final Map<String, Entity> entities = new LinkedHashMap<>();
        final Deque<PollerStatus.Error> errors = new ArrayDeque<>();
        final Deque<PollerStatus.Rejection> rejections = new ArrayDeque<>();

        Source(String kind, @Nullable String organization) {
            this.kind = kind;
            this.organization = organization;
        }
    }

    private static final class Entity {
        @Nullable Map<String, String> cursor;
        @Nullable Instant lastPollAt;
        @Nullable Instant lastErrorAt;
        long records;
        long pages;
        long passes;
        long failedPasses;
        long rejected;
        @Nullable Instant lastRejectedAt;
    }
}
