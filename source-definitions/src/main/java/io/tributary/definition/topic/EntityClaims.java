package io.tributary.definition.topic;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Which organization holds each entity name among the config topic's values read so far (decision 0031). An entity
 * name is its table, its topic {@code tributary.changes.<name>} and the rows in it, shared by every source of one
 * organization that names it; another organization's definition naming it would add columns to that table and write
 * into it. The admin API refuses such a definition (409) and keeps the claim for good; this is the same rule for the
 * services that follow the topic, which may be written by other means: the first key to name an entity holds it for
 * its organization, a key of another organization naming it is refused until every key holding it is deleted or no
 * longer names it.
 * <p>
 * A key claims its names when its value is read, whatever else the service then decides about it (invalid, another
 * shard's, an id taken), so that every service following the topic judges alike. A value refused for a clash waits
 * here ({@link #admit}) and is handed back once a name is let go ({@link #applyFreed}); a newer value of its key
 * replaces it ({@link #superseded}). Not thread-safe: a follower's thread.
 */
public final class EntityClaims {

    private record Claim(String organization, Set<String> entities) {
    }

    /**
     * @param entity    the entity name another organization holds
     * @param holderKey a key holding it (for the operator's log; never shown to an organization)
     */
    public record Clash(String entity, String holderKey) {
    }

    private final Map<String, Claim> byKey = new HashMap<>();
    /** Values refused for a clash, by key: applied again when a name is let go. */
    private final Map<String, byte[]> waiting = new TreeMap<>();
    private boolean freed;

    /** The first of {@code entities} (in name order) held by a key of another organization than {@code organization}. */
    public Optional<Clash> clash(String key, String organization, Collection<String> entities) {
        for (String entity : new TreeSet<>(entities)) {
            for (Map.Entry<String, Claim> held : byKey.entrySet()) {
                if (!held.getKey().equals(key) && !held.getValue().organization().equals(organization)
                        && held.getValue().entities().contains(entity)) {
                    return Optional.of(new Clash(entity, held.getKey()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Judges {@code value} of {@code key}, whose definition names {@code entities} for {@code organization}: if one is
     * held by a key of another organization, the value waits here until a name is let go; otherwise {@code key} holds
     * exactly these names (one it held before and no longer names is let go).
     *
     * @return the clash that refuses the value, if any
     */
    public Optional<Clash> admit(String key, String organization, Collection<String> entities, byte[] value) {
        Optional<Clash> clash = clash(key, organization, entities);
        if (clash.isPresent()) {
            waiting.put(key, value);
        } else {
            claim(key, organization, entities);
        }
        return clash;
    }

    private void claim(String key, String organization, Collection<String> entities) {
        waiting.remove(key);
        Claim previous = byKey.put(key, new Claim(organization, Set.copyOf(entities)));
        if (previous != null && !entities.containsAll(previous.entities())) {
            freed = true;
        }
    }

    /** {@code key} is deleted: its names are let go. */
    public void release(String key) {
        waiting.remove(key);
        Claim previous = byKey.remove(key);
        if (previous != null && !previous.entities().isEmpty()) {
            freed = true;
        }
    }

    /** Forgets every claim (the topic is to be read again from its beginning). */
    public void clear() {
        byKey.clear();
        waiting.clear();
        freed = false;
    }

    /**
     * Whether a name was let go since the last call: the values refused for a clash are then to be applied again
     * (those still clashing are refused again).
     */
    boolean takeFreed() {
        boolean was = freed;
        freed = false;
        return was;
    }

    /**
     * A newer value of {@code key} was read: the value of it waiting here, if any, is dropped, so that only the newest
     * value of a key is ever applied (call before judging the newer one, which may wait here in turn).
     */
    public void superseded(String key) {
        waiting.remove(key);
    }

    /**
     * Hands every waiting value to {@code apply} (which admits it again) each time a name was let go,
     * until none is: call after applying each value read from the topic.
     */
    public void applyFreed(BiConsumer<String, byte[]> apply) {
        while (takeFreed()) {
            for (String key : List.copyOf(waiting.keySet())) {
                byte[] value = waiting.remove(key);
                if (value != null) {
                    apply.accept(key, value);
                }
            }
        }
    }
}
