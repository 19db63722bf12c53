package io.tributary.poller.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The configured sources' optional capabilities, each source's kind-specific settings bound from its own
 * {@code tributary.poller.sources[i]} node: who can refresh one record ({@link RecordRefresher}) and who
 * can list every record ({@link SourceInventory}), by source id.
 */
public final class ConfiguredSources {

    private final Map<String, RecordRefresher> refreshers;
    private final Map<String, SourceInventory> inventories;
    private final Map<String, List<String>> entities = new TreeMap<>();

    ConfiguredSources(PollerProperties properties, List<SourceKind<?>> kinds, Environment environment) {
        this.refreshers = collect(properties, kinds, environment, SourceKind::refresher);
        this.inventories = collect(properties, kinds, environment, SourceKind::inventory);
        this.entities.putAll(collect(properties, kinds, environment,
                new CapabilityMethod<List<String>>() {
                    @Override
                    public <P> Optional<List<String>> apply(SourceKind<P> kind, String sourceId, P settings) {
                        return Optional.of(List.copyOf(kind.entities(sourceId, settings, configured(properties, sourceId))));
                    }
                }));
    }

    private static List<String> configured(PollerProperties properties, String sourceId) {
        return properties.sources().stream().filter(source -> source.id().equals(sourceId)).findFirst()
                .map(PollerProperties.Source::entities).orElse(List.of());
    }

    /** The entities polled for each configured source ({@link SourceKind#entities}), in source id order. */
    public Map<String, List<String>> entities() {
        return java.util.Collections.unmodifiableMap(entities);
    }

    public Map<String, RecordRefresher> refreshers() {
        return refreshers;
    }

    public Map<String, SourceInventory> inventories() {
        return inventories;
    }

    /** The entities polled for {@code sourceId}, or an empty list for an unknown source. */
    public List<String> entities(String sourceId) {
        return entities.getOrDefault(sourceId, List.of());
    }

    private static <T> Map<String, T> collect(PollerProperties properties, List<SourceKind<?>> kinds,
            Environment environment, CapabilityMethod<T> method) {
        Map<String, SourceKind<?>> byName = new TreeMap<>();
        kinds.forEach(kind -> byName.put(kind.name(), kind));
        Binder binder = Binder.get(environment);
        Map<String, T> found = new TreeMap<>();
        for (int i = 0; i < properties.sources().size(); i++) {
            PollerProperties.Source source = properties.sources().get(i);
            SourceKind<?> kind = byName.get(source.kind());
            if (kind != null) {
                capability(binder, "tributary.poller.sources[" + i + "]", source.id(), kind, method)
                        .ifPresent(value -> found.put(source.id(), value));
            }
        }
        return Map.copyOf(found);
    }

    private static <P, T> Optional<T> capability(Binder binder, String prefix, String sourceId, SourceKind<P> kind,
            CapabilityMethod<T> method) {
        return method.apply(kind, sourceId, binder.bindOrCreate(prefix, Bindable.of(kind.propertiesType())));
    }

    /** {@link SourceKind#refresher} or {@link SourceKind#inventory}, for any settings type. */
    @FunctionalInterface
    private interface CapabilityMethod<T> {
        <P> Optional<T> apply(SourceKind<P> kind, String sourceId, P properties);
    }
}
