package io.tributary.poller.live;

import io.tributary.definition.InvalidDefinitionException;
import io.tributary.definition.topic.StoredSource;
import io.tributary.poller.runtime.LiveRefreshers;
import io.tributary.poller.runtime.SourceKind;
import io.tributary.poller.runtime.SourceLauncher;
import io.tributary.poller.runtime.SourceLauncher.RunningSource;
import io.tributary.poller.status.SourceActivity;
import io.tributary.runtime.config.CompactedTopicFollower;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the running sources equal to the config topic (decision 0022). Every poller reads the whole
 * compacted topic from its beginning, with no consumer group, and reconciles each key as it arrives:
 * <ul>
 *   <li>a new or changed definition is validated first; a refused one is logged with every problem and the
 *       version already running goes on;</li>
 *   <li>a valid one replaces the running version: it is stopped, then the new one starts from the stored
 *       checkpoints (checkpoints are per source and entity, so an unchanged entity resumes where it was);</li>
 *   <li>paused stops it, resumed starts it again from its checkpoints, a new resync request starts it from an
 *       empty cursor, a tombstone stops it and removes it from the status page.</li>
 * </ul>
 * One thread does all of this, so transitions of one source never interleave.
 */
final class LiveSources implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSources.class);

    private final ConfigTopicProperties properties;
    private final CompactedTopicFollower follower;
    private final SourceKind<?> restKind;
    private final SourceLauncher launcher;
    private final SourceActivity activity;
    private final LiveRefreshers refreshers;
    private final TwoWayDefinitions twoWay;
    private final Map<String, Live> byKey = new HashMap<>();

    /** What runs for one key, and the topic value it was built from. */
    private record Live(StoredSource stored, @Nullable RunningSource source) {
    }

    /** {@code caughtUp} runs each time the topic has been read to its end (the capture waits for it, decision 0030). */
    LiveSources(ConfigTopicProperties properties, Map<String, Object> consumerConfig, SourceKind<?> restKind,
            SourceLauncher launcher, SourceActivity activity, LiveRefreshers refreshers, TwoWayDefinitions twoWay,
            Runnable caughtUp) {
        this.properties = properties;
        this.follower = new CompactedTopicFollower(properties.topic(), consumerConfig, properties.retry(), this::apply,
                caughtUp, "config-topic");
        this.restKind = restKind;
        this.launcher = launcher;
        this.activity = activity;
        this.refreshers = refreshers;
        this.twoWay = twoWay;
    }

    @Override
    public void start() {
        follower.start();
        LOG.info("Live sources: following {} (definitions written under {}){}", properties.topic(),
                properties.directory(), properties.shards() == 1 ? ""
                        : ", running the sources of shard " + properties.shard() + " of " + properties.shards());
    }

    /** Brings one key's running source to what its latest topic value says. */
    void apply(@Nullable String key, byte @Nullable [] value) {
        if (key == null) {
            LOG.warn("Live sources: a record of {} has no key; ignored", properties.topic());
            return;
        }
        Live current = byKey.get(key);
        if (value == null) {
            twoWay.removed(key);
            if (current != null) {
                stop(current);
                refreshers.remove(current.stored().sourceId());
                activity.forget(current.stored().sourceId());
                byKey.remove(key);
                LOG.info("Live source {}: deleted; stopped", key);
            }
            return;
        }
        StoredSource next;
        try {
            next = StoredSource.read(key, value);
        } catch (IllegalArgumentException e) {
            LOG.warn("Live source {}: the topic value is not a stored source ({}); what runs is unchanged", key,
                    e.getMessage());
            return;
        }
        if ("rest".equals(next.kind())) {
            twoWay.stored(next, properties.owns(next.sourceId())); // capture follows every shard's definitions
        }
        if (!properties.owns(next.sourceId())) {
            LOG.debug("Live source {}: runs on shard {} of {}, not this poller's", key,
                    Math.floorMod(next.sourceId().hashCode(), properties.shards()), properties.shards());
            return;
        }
        if (!"rest".equals(next.kind())) {
            LOG.warn("Live source {}: kind '{}' is not run from the config topic (only rest); ignored", key, next.kind());
            return;
        }
        String clash = byKey.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(key) && entry.getValue().stored().sourceId().equals(next.sourceId()))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (clash != null) {
            LOG.warn("Live source {}: source id '{}' already runs for {}; refused (the id keys events and checkpoints)",
                    key, next.sourceId(), clash);
            return;
        }
        boolean resync = current != null && next.resyncRequestedAt() != null
                && !next.resyncRequestedAt().equals(current.stored().resyncRequestedAt());
        boolean changed = current == null || !current.stored().fingerprint().equals(next.fingerprint());
        if (next.paused()) {
            if (current != null) {
                stop(current);
            }
            refreshers.remove(next.sourceId()); // a paused source makes no calls; polling catches up on resume
            byKey.put(key, new Live(next, null));
            LOG.info("Live source {}: paused", key);
            return;
        }
        if (current != null && current.source() != null && !changed && !resync) {
            byKey.put(key, new Live(next, current.source()));
            return; // same definition, still running: nothing to do
        }
        Object settings;
        try {
            settings = settingsFor(next);
            restKind.entities(next.sourceId(), cast(settings), List.of()); // loads and validates the definition
        } catch (InvalidDefinitionException e) {
            LOG.warn("Live source {}: definition refused, {}; {}", key, e.problems(),
                    current != null && current.source() != null ? "the previous version goes on running" : "not started");
            return;
        } catch (RuntimeException e) {
            LOG.warn("Live source {}: definition refused ({}); {}", key, e.getMessage(),
                    current != null && current.source() != null ? "the previous version goes on running" : "not started");
            return;
        }
        if (current != null) {
            stop(current);
        }
        try {
            RunningSource started = launcher.start(next.sourceId(), cast(restKind), settings, resync);
            byKey.put(key, new Live(next, started));
            restKind.refresher(next.sourceId(), cast(settings)).ifPresentOrElse(
                    refresher -> refreshers.register(next.sourceId(), refresher),
                    () -> refreshers.remove(next.sourceId()));
            String transition = current == null ? "started" : changed ? "replaced" : resync ? "resynced" : "resumed";
            LOG.info("Live source {}: {} ({}), entities {}{}", key, transition, next.fingerprint(), started.entities(),
                    resync ? ", from an empty cursor" : "");
        } catch (RuntimeException e) {
            byKey.put(key, new Live(next, null));
            LOG.warn("Live source {}: could not start: {}", key, e.toString());
        }
    }

    /** The {@code rest} kind's settings for a definition written to its own file, named by its content. */
    private Object settingsFor(StoredSource stored) {
        Path file = properties.directory().resolve(stored.key().replaceAll("[^A-Za-z0-9_-]", "_") + "-"
                + stored.fingerprint() + ".json");
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Path partial = Files.createTempFile(file.getParent(), "definition", ".partial");
                Files.writeString(partial, stored.definitionJson(), StandardCharsets.UTF_8);
                Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the definition under " + properties.directory() + ": " + e, e);
        }
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("live.definition", file.toString())));
        return binder.bindOrCreate("live", Bindable.of(restKind.propertiesType()));
    }

    private static void stop(Live live) {
        if (live.source() != null) {
            live.source().stop();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    /** The keys running now (for the status and tests). */
    Set<String> runningKeys() {
        return byKey.entrySet().stream().filter(entry -> entry.getValue().source() != null).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public void stop() {
        follower.stop();
        byKey.values().forEach(LiveSources::stop);
        byKey.values().forEach(live -> refreshers.remove(live.stored().sourceId()));
        byKey.clear();
        LOG.info("Live sources stopped");
    }

    @Override
    public boolean isRunning() {
        return follower.isRunning();
    }
}
