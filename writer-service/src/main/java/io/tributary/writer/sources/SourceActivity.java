package io.tributary.writer.sources;

import io.tributary.model.ChangeKey;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What the writer did with each source, for {@code GET /status/sources} ({@link SourcesStatus}). The live
 * definitions report here what they take and refuse (the config-topic follower's thread), the dead-letter publisher
 * each event it dead-letters (the consumer's thread); requests read a snapshot. Thread-safe.
 * <ul>
 *   <li>Per topic key, the refusal of its latest value as a whole (not a stored source, invalid, its id already
 *       another key's), which replaces the previous one and stands until a version is taken or the key deleted; and
 *       the refusals that came with the version taken (an entity the catalog cannot merge, a delivery not set up),
 *       replaced by the next version taken.</li>
 *   <li>Per source id, its dead letters per entity, counted since start; the organization shown with them is that
 *       of the live definition holding the id now.</li>
 * </ul>
 */
public final class SourceActivity {

    private final InstantSource clock;
    private final Instant startedAt;
    /** Topic key → the refusal of its latest value as a whole. */
    private final Map<String, SourcesStatus.Refusal> versionRefused = new TreeMap<>();
    /** Topic key → what the version taken did not take (entities, delivery). */
    private final Map<String, List<SourcesStatus.Refusal>> takenWithRefusals = new TreeMap<>();
    /** Topic key → source id of the version taken; source id → the organization of that key. */
    private final Map<String, String> takenIds = new HashMap<>();
    private final Map<String, String> organizations = new HashMap<>();
    /** Source id → entity → dead letters. */
    private final Map<String, Map<String, SourcesStatus.DeadLetters>> deadLetters = new TreeMap<>();

    public SourceActivity(InstantSource clock) {
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /**
     * What a version of a definition does not take, and why (a log line names the definition with it).
     *
     * @param entity the entity's name; null for the definition as a whole (its delivery)
     * @param reason what is wrong, naming the column and both types for a conflict
     */
    public record Refused(@Nullable String entity, String reason) {

        @Override
        public String toString() {
            return entity == null ? reason : "entity '" + entity + "': " + reason;
        }
    }

    /** The latest value of {@code key} is refused as a whole; the version taken before (if any) goes on. */
    public synchronized void versionRefused(String key, String organization, String sourceId, String reason) {
        SourcesStatus.Refusal previous = versionRefused.get(key);
        versionRefused.put(key, new SourcesStatus.Refusal(key, organization, sourceId, null, reason,
                previous != null && previous.reason().equals(reason) ? previous.since() : clock.instant()));
    }

    /** A version of {@code key} is taken, without what {@code refused} lists (empty: all of it). */
    public synchronized void taken(String key, String organization, String sourceId, List<Refused> refused) {
        versionRefused.remove(key);
        takenIds.put(key, sourceId); // a key is <organization>/<source id>: its id never changes
        organizations.put(sourceId, organization);
        Map<Refused, Instant> since = new HashMap<>();
        takenWithRefusals.getOrDefault(key, List.of()).forEach(r -> since.put(new Refused(r.entity(), r.reason()), r.since()));
        List<SourcesStatus.Refusal> now = new ArrayList<>();
        for (Refused r : refused) {
            now.add(new SourcesStatus.Refusal(key, organization, sourceId, r.entity(), r.reason(),
                    since.getOrDefault(r, clock.instant())));
        }
        if (now.isEmpty()) {
            takenWithRefusals.remove(key);
        } else {
            takenWithRefusals.put(key, List.copyOf(now));
        }
    }

    /**
     * The latest value of {@code key} is the version taken already (read again, or published again after a version
     * refused): a refusal of a value in between no longer stands; what that version did not take still does.
     */
    public synchronized void takenAgain(String key) {
        versionRefused.remove(key);
    }

    /** {@code key} is deleted: none of its refusals stand; its source id is no live definition's any more. */
    public synchronized void deleted(String key) {
        versionRefused.remove(key);
        takenWithRefusals.remove(key);
        String sourceId = takenIds.remove(key);
        if (sourceId != null) {
            organizations.remove(sourceId);
        }
    }

    /** How many topic keys have their latest value refused as a whole now (a gauge). */
    public synchronized int refusedCount() {
        return versionRefused.size();
    }

    /**
     * An event of {@code entity} dead-lettered; {@code key} is its Kafka key ({@code sourceId:externalId}), null or
     * unreadable for bytes that were no event: counted for no source then.
     */
    public synchronized void deadLettered(@Nullable String key, String entity) {
        String sourceId;
        try {
            sourceId = key == null ? null : ChangeKey.decode(key).sourceId();
        } catch (IllegalArgumentException e) {
            sourceId = null;
        }
        if (sourceId == null) {
            return;
        }
        Map<String, SourcesStatus.DeadLetters> entities = deadLetters.computeIfAbsent(sourceId, id -> new TreeMap<>());
        SourcesStatus.DeadLetters before = entities.get(entity);
        entities.put(entity, new SourcesStatus.DeadLetters(before == null ? 1 : before.deadLettered() + 1, clock.instant()));
    }

    public synchronized SourcesStatus snapshot() {
        List<SourcesStatus.Refusal> refused = new ArrayList<>();
        Map<String, List<SourcesStatus.Refusal>> byKey = new TreeMap<>(takenWithRefusals);
        versionRefused.forEach((key, refusal) -> byKey.merge(key, List.of(refusal),
                (taken, version) -> {
                    List<SourcesStatus.Refusal> both = new ArrayList<>(version);
                    both.addAll(taken);
                    return both;
                }));
        byKey.values().forEach(refused::addAll);
        List<SourcesStatus.Source> sources = new ArrayList<>();
        deadLetters.forEach((id, entities) -> sources.add(new SourcesStatus.Source(id, organizations.get(id),
                new LinkedHashMap<>(entities))));
        return new SourcesStatus(clock.instant(), startedAt, List.copyOf(refused), List.copyOf(sources));
    }
}
