package io.tributary.ingest.receive;

import io.tributary.ingest.signature.Verifier;
import io.tributary.mapping.declarative.RecordMapping;
import java.util.Map;

/**
 * A source ready to receive: its id, scheme name, verifier (bound to its secrets) and event-type prefix → entity
 * mapping. {@code mappings} (entity → declarative mapping) come with a source built from a definition (decision
 * 0027): its records are mapped as the poller maps them; without, the forum's own mapping applies. A paused
 * source answers 503 until it is resumed.
 */
public record ConfiguredSource(String id, String scheme, Verifier verifier, Map<String, String> entities,
        Map<String, RecordMapping> mappings, boolean paused) {

    public ConfiguredSource {
        entities = Map.copyOf(entities);
        mappings = Map.copyOf(mappings);
    }

    /** A source of {@code tributary.ingest.sources}: the forum's mapping, never paused. */
    static ConfiguredSource configured(String id, String scheme, Verifier verifier, Map<String, String> entities) {
        return new ConfiguredSource(id, scheme, verifier, entities, Map.of(), false);
    }

    @Override
    public String toString() {
        return id + " (" + scheme + ")";
    }
}
