package io.tributary.definition.topic;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
 * shard's, an id taken), so that every service following the topic judges alike. Not thread-safe: a follower's thread.
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
     * Makes {@code entities} the names {@code key} holds for {@code organization} (call when {@link #clash} found none);
     * a name it held before and no longer names is let go.
     */
    public void claim(String key, String organization, Collection<String> entities) {
        Claim previous = byKey.put(key, new Claim(organization, Set.copyOf(entities)));
        if (previous != null && !entities.containsAll(previous.entities())) {
            freed = true;
        }
    }

    /** {@code key} is deleted: its names are let go. */
    public void release(String key) {
        Claim previous = byKey.remove(key);
        if (previous != null && !previous.entities().isEmpty()) {
            freed = true;
        }
    }

    /** Forgets every claim (the topic is to be read again from its beginning). */
    public void clear() {
        byKey.clear();
        freed = false;
    }

    /**
     * Whether a name was let go since the last call: the values refused for a clash are then to be applied again
     * (those still clashing are refused again).
     */
    public boolean takeFreed() {
        boolean was = freed;
        freed = false;
        return was;
    }
}
