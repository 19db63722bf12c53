package io.tributary.poller.live;

import io.tributary.definition.InvalidDefinitionException;
import io.tributary.definition.topic.EntityClaims;
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
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
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
 *   <li>a new or changed definition is validated first, its credential references held to its organization's
 *       secrets (decision 0031); a refused one is logged with every problem and the version already running goes
 *       on;</li>
 *   <li>a valid one replaces the running version: it is stopped, then the new one starts from the stored
 *       checkpoints (checkpoints are per source and entity, so an unchanged entity resumes where it was);</li>
 *   <li>paused stops it, resumed starts it again from its checkpoints, a new resync request starts it from an
 *       empty cursor, a tombstone stops it and removes it from the status page.</li>
 * </ul>
 * A source id keys change events, main-database rows and checkpoints, so one id runs once (0031): a definition whose
 * id is one of this poller's configured sources is refused, and so is a second key with an id another key holds (the
 * admin API refuses that; the topic may be written by other means); the one read first goes on, the other waits and
 * is applied once the holder is deleted. Likewise an entity (a table and its rows) belongs to one organization: a
 * definition naming an entity a key of another organization holds ({@link EntityClaims}, judged on every key, of every
 * shard) is refused and waits until no key of that organization names it. Every refusal is logged and listed on
 * {@code GET /status}.
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
    private final Set<String> configured;
    private final TwoWayDefinitions twoWay;
    private final Map<String, Live> byKey = new HashMap<>();
    /** Values refused because another key holds their source id, by key: applied again when it is let go. */
    private final Map<String, byte[]> waiting = new TreeMap<>();
    /** Which organization holds each entity name, over every key read (whatever its shard). */
    private final EntityClaims entityClaims = new EntityClaims();

    /** What runs for one key, and the topic value it was built from. */
    private record Live(StoredSource stored, @Nullable RunningSource source) {
    }

    /**
     * @param configured the ids this poller runs from its own configuration (and reserves): never taken by a definition
     * @param twoWay     told every stored definition, of every shard, for the capture of local changes (decision 0030)
     */
    LiveSources(ConfigTopicProperties properties, Map<String, Object> consumerConfig, SourceKind<?> restKind,
            SourceLauncher launcher, SourceActivity activity, LiveRefreshers refreshers, Set<String> configured,
            TwoWayDefinitions twoWay) {
        this.properties = properties;
        this.follower = new CompactedTopicFollower(properties.topic(), consumerConfig, properties.retry(), this::apply,
                "config-topic");
        this.restKind = restKind;
        this.launcher = launcher;
        this.activity = activity;
        this.refreshers = refreshers;
        this.configured = Set.copyOf(configured);
        this.twoWay = twoWay;
    }

    @Override
    public void start() {
        follower.start();
        LOG.info("Live sources: following {} (definitions written under {}; an organization's secrets are "
                        + "{}<ORG>__* and files under {}/<org>/){}", properties.topic(), properties.directory(),
                properties.secretsEnvPrefix(), properties.secretsDirectory(), properties.shards() == 1 ? ""
                        : ", running the sources of shard " + properties.shard() + " of " + properties.shards());
    }

    /**
     * Completes, on the topic's thread, once every definition the topic held at start-up has been applied (see
     * {@link CompactedTopicFollower#caughtUp()}): the capture's first engine waits for it (decision 0030).
     */
    CompletionStage<Void> caughtUp() {
        return follower.caughtUp();
    }

    /** Brings one key's running source to what its latest topic value says; then those an entity let go waited for. */
    void apply(@Nullable String key, byte @Nullable [] value) {
        applyOne(key, value);
        entityClaims.applyFreed(this::applyOne);
    }

    private void applyOne(@Nullable String key, byte @Nullable [] value) {
        if (key == null) {
            LOG.warn("Live sources: a record of {} has no key; ignored", properties.topic());
            return;
        }
        // the newest value of a key wins: an older one waiting for its id or for an entity is dropped (this one may
        // wait in turn); otherwise the older one could be applied when its wait ends
        waiting.remove(key);
        entityClaims.superseded(key);
        Live current = byKey.get(key);
        if (value == null) {
            entityClaims.release(key);
            activity.accepted(key);
            twoWay.removed(key);
            if (current != null) {
                stop(current);
                refreshers.remove(current.stored().sourceId());
                activity.forget(current.stored().sourceId());
                byKey.remove(key);
                LOG.info("Live source {}: deleted; stopped", key);
                released(current.stored().sourceId());
            }
            return;
        }
        StoredSource next;
        try {
            next = StoredSource.read(key, value);
        } catch (IllegalArgumentException e) {
            LOG.warn("Live source {}: the topic value is not a stored source ({}); what runs is unchanged", key,
                    e.getMessage());
            refuse(key, "the topic value is not a stored source (" + e.getMessage() + ")");
            return;
        }
        var clash = entityClaims.admit(key, next.organization(), next.entityNames(), value);
        if (clash.isPresent()) {
            if (properties.owns(next.sourceId())) {
                LOG.warn("Live source {}: refused, entity '{}' is already held by {}, of another organization (an entity "
                        + "is a table and its rows); it is applied once no definition of that organization names it", key,
                        clash.get().entity(), clash.get().holderKey());
                refuse(key, "entity '" + clash.get().entity() + "' is held by another organization's definition (an "
                        + "entity's table and rows belong to one organization)");
            }
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
            refuse(key, "kind '" + next.kind() + "' is not run from the config topic (only rest)");
            return;
        }
        if (configured.contains(next.sourceId())) {
            LOG.warn("Live source {}: refused, source id '{}' is one of this poller's configured sources "
                    + "(tributary.poller.sources): running both would write the same rows and checkpoints", key,
                    next.sourceId());
            refuse(key, "source id '" + next.sourceId() + "' is taken by a source of this poller's own configuration");
            return;
        }
        String holder = byKey.keySet().stream()
                .filter(other -> !other.equals(key) && byKey.get(other).stored().sourceId().equals(next.sourceId()))
                .findFirst().orElse(null);
        if (holder != null) {
            LOG.warn("Live source {}: refused, source id '{}' is already held by {} (the id keys events, rows and "
                    + "checkpoints); it is applied if {} is deleted", key, next.sourceId(), holder, holder);
            refuse(key, "source id '" + next.sourceId() + "' already runs for another organization's definition");
            waiting.put(key, value);
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
            activity.accepted(key);
            LOG.info("Live source {}: paused", key);
            return;
        }
        if (current != null && current.source() != null && !changed && !resync) {
            byKey.put(key, new Live(next, current.source()));
            return; // same definition, still running: nothing to do
        }
        String previous = current != null && current.source() != null ? "the previous version goes on running" : "not started";
        Object settings;
        try {
            settings = settingsFor(next);
            restKind.entities(next.sourceId(), cast(settings), List.of()); // loads and validates the definition
        } catch (InvalidDefinitionException e) {
            LOG.warn("Live source {}: definition refused, {}; {}", key, e.problems(), previous);
            refuse(key, "definition refused: " + e.problems().stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining("; ")));
            return;
        } catch (RuntimeException e) {
            LOG.warn("Live source {}: definition refused ({}); {}", key, e.getMessage(), previous);
            refuse(key, "definition refused: " + e.getMessage());
            return;
        }
        if (current != null) {
            stop(current);
        }
        try {
            RunningSource started = launcher.start(next.organization(), next.sourceId(), cast(restKind), settings, resync);
            byKey.put(key, new Live(next, started));
            activity.accepted(key);
            restKind.refresher(next.sourceId(), cast(settings)).ifPresentOrElse(
                    refresher -> refreshers.register(next.sourceId(), refresher),
                    () -> refreshers.remove(next.sourceId()));
            String transition = current == null ? "started" : changed ? "replaced" : resync ? "resynced" : "resumed";
            LOG.info("Live source {}: {} ({}), entities {}{}", key, transition, next.fingerprint(), started.entities(),
                    resync ? ", from an empty cursor" : "");
        } catch (RuntimeException e) {
            // a credential that cannot be resolved (outside the organization's secrets, unset, unreadable) lands here
            byKey.put(key, new Live(next, null));
            LOG.warn("Live source {}: could not start: {}", key, e.toString());
            refuse(key, "could not start: " + e.getMessage());
        }
    }

    /** Lists the refusal of {@code key} on the status page; the reason names no secret and no other organization. */
    private void refuse(String key, String reason) {
        activity.refused(key, StoredSource.organizationOf(key), StoredSource.sourceIdOf(key), reason);
    }

    /** {@code sourceId} is free again: the first value that waited for it is applied. */
    private void released(String sourceId) {
        waiting.entrySet().stream().filter(entry -> entry.getKey().endsWith("/" + sourceId)).findFirst()
                .ifPresent(entry -> {
                    waiting.remove(entry.getKey());
                    LOG.info("Live source {}: source id '{}' is free again; applying its definition", entry.getKey(), sourceId);
                    apply(entry.getKey(), entry.getValue());
                });
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
        // held to the organization's secrets, unlike the operator's configured sources (decision 0031)
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("live.definition", file.toString(),
                "live.secrets-env-prefix", properties.secretsEnvPrefix(),
                "live.secrets-directory", properties.secretsDirectory().toString())));
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
        waiting.clear();
        entityClaims.clear();
        LOG.info("Live sources stopped");
    }

    @Override
    public boolean isRunning() {
        return follower.isRunning();
    }
}
