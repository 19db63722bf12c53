package io.tributary.poller.runtime;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who refreshes one record of a source started at run time (a live source, decision 0022): registered when the
 * source starts, replaced with its definition, removed when it is paused or deleted. The refresh consumer looks
 * here after the statically configured sources, so a thin webhook of a live source is served like any other.
 */
public final class LiveRefreshers {

    private final Map<String, RecordRefresher> bySource = new ConcurrentHashMap<>();

    public void register(String sourceId, RecordRefresher refresher) {
        bySource.put(sourceId, refresher);
    }

    public void remove(String sourceId) {
        bySource.remove(sourceId);
    }

    public Optional<RecordRefresher> find(String sourceId) {
        return Optional.ofNullable(bySource.get(sourceId));
    }
}
