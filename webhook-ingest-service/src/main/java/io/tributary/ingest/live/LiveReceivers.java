package io.tributary.ingest.live;

import io.tributary.definition.EntitySource;
import io.tributary.definition.InvalidDefinitionException;
import io.tributary.definition.DefinitionProblem;
import io.tributary.definition.SecretScope;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.SourceDefinitionLoader;
import io.tributary.definition.Webhooks;
import io.tributary.definition.topic.EntityClaims;
import io.tributary.definition.topic.StoredSource;
import io.tributary.ingest.receive.ConfiguredSource;
import io.tributary.ingest.receive.ReceivingSources;
import io.tributary.ingest.signature.SignatureSchemes;
import io.tributary.mapping.declarative.RecordMapping;
import io.tributary.runtime.config.CompactedTopicFollower;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the receiving sources equal to the config topic (decision 0027), as pollers keep their running sources
 * (0022): a definition with {@code webhooks.inbound} becomes a source at {@code /webhooks/{id}} with its scheme,
 * secrets (resolved from their references), tolerance, event types and declarative mapping; a changed definition
 * (a rotated secret) replaces it; paused, it answers 503 so senders retry after it is resumed; deleted, or without
 * inbound webhooks any more, it is gone (404). A definition that is refused, names a secret outside its
 * organization's (decision 0031) or whose secret cannot be resolved, is logged and the version already receiving goes
 * on. A source id is received for one definition only: a configured source's id is never taken over, and a second key
 * with an id another holds is refused (the first goes on) and applied once the holder is deleted. Likewise an entity
 * (a table and its rows) belongs to one organization: a definition naming an entity a key of another organization
 * holds ({@link EntityClaims}) is refused and waits until no key of that organization names it. Refusals are logged
 * and counted ({@link #refusedCount()}, a gauge); the receiver has no status page, its port faces the senders.
 */
final class LiveReceivers implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LiveReceivers.class);

    private final ReceivingSources sources;
    private final SignatureSchemes schemes;
    private final UnaryOperator<@Nullable String> environment;
    private final CompactedTopicFollower follower;
    private final IngestConfigTopicProperties properties;
    private final SourceDefinitionLoader loader = new SourceDefinitionLoader();
    /** Topic key → the source id receiving for it and the fingerprint of its definition. */
    private final Map<String, Receiving> byKey = new HashMap<>();
    /** Topic key → why its latest value is not received (read by the gauge from another thread). */
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    /** Values refused because another key holds their source id, by key: applied again when it is let go. */
    private final Map<String, byte[]> waiting = new TreeMap<>();
    /** Which organization holds each entity name, over every key read. */
    private final EntityClaims entityClaims = new EntityClaims();

    private record Receiving(String sourceId, String fingerprint, boolean paused) {
    }

    LiveReceivers(IngestConfigTopicProperties properties, Map<String, Object> consumerConfig, ReceivingSources sources,
            SignatureSchemes schemes, UnaryOperator<@Nullable String> environment) {
        this.properties = properties;
        this.sources = sources;
        this.schemes = schemes;
        this.environment = environment;
        this.follower = new CompactedTopicFollower(properties.topic(), consumerConfig, properties.retry(), this::apply,
                "ingest-config-topic");
    }

    /** Brings one key's receiving source to what its latest topic value says; then those an entity let go waited for. */
    void apply(@Nullable String key, byte @Nullable [] value) {
        applyOne(key, value);
        entityClaims.applyFreed(this::applyOne);
    }

    private void applyOne(@Nullable String key, byte @Nullable [] value) {
        if (key == null) {
            return;
        }
        // the newest value of a key wins: an older one waiting for its id or for an entity is dropped (this one may
        // wait in turn); otherwise the older one could be received when its wait ends
        waiting.remove(key);
        entityClaims.superseded(key);
        Receiving current = byKey.get(key);
        if (value == null) {
            entityClaims.release(key);
            refused.remove(key);
            if (current != null) {
                sources.removeLive(current.sourceId());
                byKey.remove(key);
                LOG.info("Webhook source {}: deleted; no longer received", key);
                released(current.sourceId());
            }
            return;
        }
        StoredSource stored;
        try {
            stored = StoredSource.read(key, value);
        } catch (IllegalArgumentException e) {
            LOG.warn("Webhook source {}: the topic value is not a stored source ({}); what is received is unchanged",
                    key, e.getMessage());
            refused.put(key, "not a stored source");
            return;
        }
        var clash = entityClaims.admit(key, stored.organization(), stored.entityNames(), value);
        if (clash.isPresent()) {
            LOG.warn("Webhook source {}: refused, entity '{}' is already held by {}, of another organization (an entity "
                    + "is a table and its rows); {}; it is applied once no definition of that organization names it", key,
                    clash.get().entity(), clash.get().holderKey(), keeping(current));
            refused.put(key, "entity held by another organization");
            return;
        }
        if (current != null && current.fingerprint().equals(stored.fingerprint()) && current.paused() == stored.paused()) {
            return; // read again after a reconnect, or a change that does not concern receiving (a resync)
        }
        SourceDefinition definition;
        try {
            definition = loader.read(stored.definitionJson(), SourceDefinitionLoader.Format.JSON, key);
        } catch (InvalidDefinitionException e) {
            LOG.warn("Webhook source {}: definition refused, {}; {}", key, e.problems(), keeping(current));
            refused.put(key, "definition refused");
            return;
        }
        Webhooks.Inbound inbound = definition.webhooks().inbound();
        if (inbound == null) {
            refused.remove(key);
            if (current != null) {
                sources.removeLive(current.sourceId());
                byKey.remove(key);
                LOG.info("Webhook source {}: its definition has no inbound webhooks any more; no longer received", key);
                released(current.sourceId());
            }
            return;
        }
        if (sources.isConfigured(definition.id())) {
            LOG.warn("Webhook source {}: refused, source id '{}' is configured in tributary.ingest.sources (the "
                    + "configured source goes on receiving at /webhooks/{})", key, definition.id(), definition.id());
            refused.put(key, "id taken by a configured source");
            return;
        }
        String holder = byKey.keySet().stream()
                .filter(other -> !other.equals(key) && byKey.get(other).sourceId().equals(definition.id()))
                .findFirst().orElse(null);
        if (holder != null) {
            LOG.warn("Webhook source {}: refused, source id '{}' is already received for {}; it is applied if {} is "
                    + "deleted", key, definition.id(), holder, holder);
            refused.put(key, "id taken by another organization's definition");
            waiting.put(key, value);
            return;
        }
        ConfiguredSource source;
        try {
            List<DefinitionProblem> outside = scope(stored).problems(definition);
            if (!outside.isEmpty()) {
                throw new InvalidDefinitionException(key, outside);
            }
            source = build(definition, inbound, stored.paused(), scope(stored));
        } catch (InvalidDefinitionException e) {
            LOG.warn("Webhook source {}: definition refused, {}; {}", key, e.problems(), keeping(current));
            refused.put(key, "secret outside the organization's");
            return;
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.warn("Webhook source {}: cannot receive ({}); {}", key, e.getMessage(), keeping(current));
            refused.put(key, "cannot receive");
            return;
        }
        refused.remove(key);
        if (current != null && !current.sourceId().equals(definition.id())) {
            sources.removeLive(current.sourceId());
        }
        sources.putLive(source);
        byKey.put(key, new Receiving(definition.id(), stored.fingerprint(), stored.paused()));
        LOG.info("Webhook source {}: {} at /webhooks/{} ({}, events {}){}", key,
                current == null ? "receiving" : "replaced", definition.id(), inbound.scheme(),
                inbound.events().keySet(), stored.paused() ? ", paused: answered 503 until resumed" : "");
    }

    /** The secrets a definition of the config topic may name: its organization's (decision 0031). */
    private SecretScope scope(StoredSource stored) {
        return SecretScope.of(stored.organization(), properties.secretsEnvPrefix(), properties.secretsDirectory());
    }

    /** {@code sourceId} is free again: the first value that waited for it is applied. */
    private void released(String sourceId) {
        waiting.entrySet().stream().filter(entry -> entry.getKey().endsWith("/" + sourceId)).findFirst()
                .ifPresent(entry -> {
                    waiting.remove(entry.getKey());
                    LOG.info("Webhook source {}: source id '{}' is free again; applying its definition", entry.getKey(),
                            sourceId);
                    apply(entry.getKey(), entry.getValue());
                });
    }

    /** How many values of the config topic are refused now (a gauge). */
    int refusedCount() {
        return refused.size();
    }

    private ConfiguredSource build(SourceDefinition definition, Webhooks.Inbound inbound, boolean paused,
            SecretScope scope) {
        // IllegalStateException naming the reference, never the value
        List<String> secrets = inbound.secrets().stream().map(secret -> scope.resolve(secret, environment)).toList();
        Map<String, String> entities = new LinkedHashMap<>();
        // the definition's prefixes end with their separator ("music."); the receiver splits the type at its last dot
        inbound.events().forEach((prefix, entity) -> entities.put(prefix.endsWith(".")
                ? prefix.substring(0, prefix.length() - 1) : prefix, entity));
        Map<String, RecordMapping> mappings = new LinkedHashMap<>();
        for (EntitySource entity : definition.entities()) {
            mappings.put(entity.name(), entity.mapping());
        }
        return new ConfiguredSource(definition.id(), inbound.scheme(),
                schemes.byName(inbound.scheme()).verifier(secrets, inbound.tolerance()), entities, mappings, paused);
    }

    private static String keeping(@Nullable Receiving current) {
        return current != null ? "the previous version goes on receiving" : "not received";
    }

    @Override
    public void start() {
        follower.start();
        LOG.info("Webhook sources from the config topic: following it");
    }

    @Override
    public void stop() {
        follower.stop();
        byKey.values().forEach(receiving -> sources.removeLive(receiving.sourceId()));
        byKey.clear();
        waiting.clear();
        entityClaims.clear();
    }

    @Override
    public boolean isRunning() {
        return follower.isRunning();
    }
}
