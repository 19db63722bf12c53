package io.tributary.ingest.receive;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sources this receiver answers for: those of its configuration ({@code tributary.ingest.sources}, fixed)
 * and those built from the admin service's definitions while it runs (decision 0027), which may come, change and
 * go. A configured source's id cannot be taken by a definition.
 */
public final class ReceivingSources {

    private final Map<String, ConfiguredSource> configured;
    private final Map<String, ConfiguredSource> live = new ConcurrentHashMap<>();

    ReceivingSources(Map<String, ConfiguredSource> configured) {
        this.configured = Map.copyOf(configured);
    }

    Optional<ConfiguredSource> find(String id) {
        ConfiguredSource source = configured.get(id);
        return source != null ? Optional.of(source) : Optional.ofNullable(live.get(id));
    }

    public boolean isConfigured(String id) {
        return configured.containsKey(id);
    }

    /** Adds or replaces a source built from a definition; refused for a configured source's id. */
    public void putLive(ConfiguredSource source) {
        if (isConfigured(source.id())) {
            throw new IllegalArgumentException("source id '" + source.id() + "' is configured here");
        }
        live.put(source.id(), source);
    }

    public void removeLive(String id) {
        live.remove(id);
    }
}
