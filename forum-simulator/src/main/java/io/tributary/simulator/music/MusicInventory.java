package io.tributary.simulator.music;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The inventory: items by id, the idempotency keys already seen, and counters of the effective writes (what a
 * test compares with the changes it sent: a replayed create is not a create). Synchronised: the API is small.
 */
final class MusicInventory {

    /** Effective writes, by kind. */
    record Counts(long creates, long updates, long deletes, long replays) {
    }

    private final Map<String, MusicItem> items = new TreeMap<>();
    private final Map<String, String> createdByKey = new TreeMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final Clock clock;
    private Instant lastStamp = Instant.EPOCH;
    private long creates;
    private long updates;
    private long deletes;
    private long replays;

    MusicInventory(Clock clock) {
        this.clock = clock;
    }

    synchronized List<MusicItem> list(int offset, int limit) {
        List<MusicItem> all = new ArrayList<>(items.values());
        int from = Math.min(offset, all.size());
        return List.copyOf(all.subList(from, (int) Math.min(all.size(), (long) from + limit)));
    }

    synchronized Optional<MusicItem> get(String id) {
        return Optional.ofNullable(items.get(id));
    }

    /** Creates an item, or answers the item created before under the same idempotency key. */
    synchronized MusicItem create(@Nullable String idempotencyKey, String name, @Nullable String artist,
            @Nullable String album) {
        if (idempotencyKey != null && createdByKey.containsKey(idempotencyKey)) {
            replays++;
            MusicItem first = items.get(createdByKey.get(idempotencyKey));
            if (first != null) {
                return first;
            }
        }
        MusicItem item = new MusicItem("mu-" + nextId.getAndIncrement(), name, artist, album, stamp());
        items.put(item.id(), item);
        if (idempotencyKey != null) {
            createdByKey.put(idempotencyKey, item.id());
        }
        creates++;
        return item;
    }

    synchronized Optional<MusicItem> replace(String id, String name, @Nullable String artist, @Nullable String album) {
        if (!items.containsKey(id)) {
            return Optional.empty();
        }
        MusicItem item = new MusicItem(id, name, artist, album, stamp());
        items.put(id, item);
        updates++;
        return Optional.of(item);
    }

    synchronized boolean delete(String id) {
        boolean removed = items.remove(id) != null;
        if (removed) {
            deletes++;
        }
        return removed;
    }

    synchronized Counts counts() {
        return new Counts(creates, updates, deletes, replays);
    }

    /** Strictly increasing: two changes in one millisecond still get different versions. */
    private Instant stamp() {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusMillis(1);
        return lastStamp;
    }
}
