package io.tributary.poller.rest.pagination;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The versions {@code (id, updated_at)} emitted within the rescan window, so that re-reading the window
 * emits only late arrivals. Bounded: beyond {@code capacity} the oldest entries are forgotten, which can
 * only cause a harmless re-publication.
 */
final class RecentlyEmitted {

    private record Version(String id, Instant updatedAt) {
    }

    private final int capacity;
    private final Set<Version> versions = new LinkedHashSet<>();

    RecentlyEmitted(int capacity) {
        this.capacity = capacity;
    }

    /** Records the version; true if it was not already recorded (so it should be emitted). */
    boolean add(String id, Instant updatedAt) {
        boolean added = versions.add(new Version(id, updatedAt));
        if (added && versions.size() > capacity) {
            Iterator<Version> oldest = versions.iterator();
            oldest.next();
            oldest.remove();
        }
        return added;
    }

    void evictOlderThan(Instant cutoff) {
        versions.removeIf(version -> version.updatedAt().isBefore(cutoff));
    }

    int size() {
        return versions.size();
    }
}
