package io.tributary.poller.rest.pagination;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * An in-memory listing with the contract's semantics: inclusive {@code updated_since}, order
 * {@code (updated_at, id)}, offsets computed at request time, per_page 1..100. A hook may mutate it
 * before each request. Thread-safe (one request at a time), for walks of several ranges at once.
 */
final class FakeListing implements Listing<FakeListing.Version> {

    record Version(String id, Instant updatedAt) {
    }

    static final Comparator<Version> ORDER = Comparator.comparing(Version::updatedAt)
            .thenComparing(Version::id, ListingPosition.ID_ORDER);

    private final Map<String, Instant> records = new HashMap<>();
    private final TreeSet<Version> sorted = new TreeSet<>(ORDER);
    private final List<PageRequest> requests = new ArrayList<>();
    private Consumer<FakeListing> beforeRequest = listing -> { };

    void beforeEachRequest(Consumer<FakeListing> hook) {
        this.beforeRequest = hook;
    }

    synchronized void put(String id, Instant updatedAt) {
        Instant old = records.put(id, updatedAt);
        if (old != null) {
            if (updatedAt.isBefore(old)) {
                throw new IllegalArgumentException("updated_at never goes backwards");
            }
            sorted.remove(new Version(id, old));
        }
        sorted.add(new Version(id, updatedAt));
    }

    synchronized void delete(String id) {
        Instant old = records.remove(id);
        if (old != null) {
            sorted.remove(new Version(id, old));
        }
    }

    synchronized List<String> ids() {
        return new ArrayList<>(records.keySet());
    }

    synchronized List<Version> versions() {
        return new ArrayList<>(sorted);
    }

    synchronized Instant maxUpdatedAt() {
        return sorted.isEmpty() ? Instant.EPOCH : sorted.last().updatedAt();
    }

    synchronized List<PageRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public synchronized ListingPage<Version> fetch(PageRequest request) {
        if (request.perPage() > 100) {
            throw new IllegalArgumentException("400: per_page " + request.perPage() + " > 100");
        }
        beforeRequest.accept(this);
        requests.add(request);
        Iterable<Version> from = request.updatedSince() == null ? sorted
                : sorted.tailSet(new Version("", request.updatedSince()), true);
        long skip = request.startOffset();
        List<Row<Version>> rows = new ArrayList<>();
        boolean hasMore = false;
        for (Version version : from) {
            if (skip > 0) {
                skip--;
            } else if (rows.size() < request.perPage()) {
                rows.add(new Row<>(version.id(), version.updatedAt(), version));
            } else {
                hasMore = true;
                break;
            }
        }
        return new ListingPage<>(rows, hasMore);
    }
}
