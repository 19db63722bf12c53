package io.tributary.poller.outbound;

import io.tributary.poller.status.SourceActivity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entities whose local changes are captured (decision 0030): the statically configured ones
 * ({@code tributary.poller.capture.entities}) and the tables of the delivered entities of every two-way
 * definition on the config topic, paused ones included (a pause stops delivery, not capture), of every shard
 * (one poller captures for the whole deployment). The live sources feed it as the topic is read and say when it
 * was read to its end ({@link #loaded()}); the capture reads it and reports, per entity, whether it captures it or
 * what it waits for, which becomes each two-way source's {@code capture} line on {@code GET /status}.
 * Thread-safe; listeners run on the thread that changed the set and must only hand the work on.
 */
public final class CapturedEntities {

    private static final Logger LOG = LoggerFactory.getLogger(CapturedEntities.class);

    private final Set<String> configured;
    private final SourceActivity activity;
    private final Map<String, Defined> byKey = new LinkedHashMap<>();
    private final Map<String, String> waiting = new HashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private boolean loaded;

    /** One two-way definition: its source id and its delivered tables. */
    private record Defined(String sourceId, Set<String> tables) {
    }

    /**
     * @param followsDefinitions whether the config topic is followed; if not, the set is the configured one and
     *                           complete from the start
     */
    CapturedEntities(List<String> configured, boolean followsDefinitions, SourceActivity activity) {
        this.configured = Set.copyOf(configured);
        this.activity = activity;
        this.loaded = !followsDefinitions;
    }

    /** A two-way definition (new, changed, paused or resumed) stored under {@code key}, delivering {@code tables}. */
    public void stored(String key, String sourceId, Set<String> tables) {
        Set<String> before;
        Set<String> after;
        synchronized (this) {
            before = entities();
            byKey.put(key, new Defined(sourceId, Set.copyOf(tables)));
            after = entities();
            notes();
        }
        changed(before, after, "definition " + key);
    }

    /** The definition under {@code key} was deleted or is no longer two-way. */
    public void removed(String key) {
        Set<String> before;
        Set<String> after;
        Defined gone;
        synchronized (this) {
            before = entities();
            gone = byKey.remove(key);
            after = entities();
            notes();
        }
        if (gone != null) {
            activity.capture(gone.sourceId(), null);
            changed(before, after, "definition " + key);
        }
    }

    /** The config topic was read to its end: the set now holds every stored definition (repeated calls are fine). */
    public void loaded() {
        boolean first;
        synchronized (this) {
            first = !loaded;
            loaded = true;
        }
        if (first) {
            LOG.info("Capture: definitions read, capturing {}", entities());
            listeners.forEach(Runnable::run);
        }
    }

    /** Every captured entity now, sorted. */
    synchronized Set<String> entities() {
        Set<String> all = new TreeSet<>(configured);
        byKey.values().forEach(defined -> all.addAll(defined.tables()));
        return all;
    }

    /** Whether the config topic was read to its end once (or is not followed). */
    synchronized boolean isLoaded() {
        return loaded;
    }

    /** Runs {@code listener} after every change of the set, and once it is {@link #loaded()}. */
    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** The capture reports what it waits for before it can capture {@code entity}; null: it captures it. */
    synchronized void waiting(String entity, @Nullable String reason) {
        if (reason == null) {
            waiting.remove(entity);
        } else {
            waiting.put(entity, reason);
        }
        notes();
    }

    private void changed(Set<String> before, Set<String> after, String cause) {
        if (!before.equals(after)) {
            LOG.info("Capture: {} changed the captured entities from {} to {}", cause, before, after);
            listeners.forEach(Runnable::run);
        }
    }

    /** Each two-way source's status line: what is captured, and what is waited for. */
    private void notes() {
        for (Defined defined : byKey.values()) {
            List<String> waits = new ArrayList<>();
            Set<String> captured = new TreeSet<>();
            for (String table : new TreeSet<>(defined.tables())) {
                String reason = waiting.get(table);
                if (reason == null) {
                    captured.add(table);
                } else {
                    waits.add(table + ": " + reason);
                }
            }
            activity.capture(defined.sourceId(), waits.isEmpty() ? "captured: " + captured
                    : "waiting: " + String.join("; ", waits) + (captured.isEmpty() ? "" : "; captured: " + captured));
        }
    }
}
