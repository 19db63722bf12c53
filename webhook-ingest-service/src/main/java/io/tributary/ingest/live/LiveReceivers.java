package io.tributary.ingest.live;

import io.tributary.definition.EntitySource;
import io.tributary.definition.InvalidDefinitionException;
import io.tributary.definition.SecretRef;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.SourceDefinitionLoader;
import io.tributary.definition.Webhooks;
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
 * inbound webhooks any more, it is gone (404). A definition that is refused, or whose secret cannot be resolved,
 * is logged and the version already receiving goes on. A configured source's id is never taken over.
 */
final class LiveReceivers implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LiveReceivers.class);

    private final ReceivingSources sources;
    private final SignatureSchemes schemes;
    private final UnaryOperator<@Nullable String> environment;
    private final CompactedTopicFollower follower;
    private final SourceDefinitionLoader loader = new SourceDefinitionLoader();
    /** Topic key → the source id receiving for it and the fingerprint of its definition. */
    private final Map<String, Receiving> byKey = new HashMap<>();

    private record Receiving(String sourceId, String fingerprint, boolean paused) {
    }

    LiveReceivers(IngestConfigTopicProperties properties, Map<String, Object> consumerConfig, ReceivingSources sources,
            SignatureSchemes schemes, UnaryOperator<@Nullable String> environment) {
        this.sources = sources;
        this.schemes = schemes;
        this.environment = environment;
        this.follower = new CompactedTopicFollower(properties.topic(), consumerConfig, properties.retry(), this::apply,
                "ingest-config-topic");
    }

    /** Brings one key's receiving source to what its latest topic value says. */
    void apply(@Nullable String key, byte @Nullable [] value) {
        if (key == null) {
            return;
        }
        Receiving current = byKey.get(key);
        if (value == null) {
            if (current != null) {
                sources.removeLive(current.sourceId());
                byKey.remove(key);
                LOG.info("Webhook source {}: deleted; no longer received", key);
            }
            return;
        }
        StoredSource stored;
        try {
            stored = StoredSource.read(key, value);
        } catch (IllegalArgumentException e) {
            LOG.warn("Webhook source {}: the topic value is not a stored source ({}); what is received is unchanged",
                    key, e.getMessage());
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
            return;
        }
        Webhooks.Inbound inbound = definition.webhooks().inbound();
        if (inbound == null) {
            if (current != null) {
                sources.removeLive(current.sourceId());
                byKey.remove(key);
                LOG.info("Webhook source {}: its definition has no inbound webhooks any more; no longer received", key);
            }
            return;
        }
        if (sources.isConfigured(definition.id())) {
            LOG.warn("Webhook source {}: source id '{}' is configured in tributary.ingest.sources; the definition's"
                    + " inbound webhooks are not received", key, definition.id());
            return;
        }
        String clash = byKey.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(key) && entry.getValue().sourceId().equals(definition.id()))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (clash != null) {
            LOG.warn("Webhook source {}: source id '{}' is already received for {}; refused", key, definition.id(), clash);
            return;
        }
        ConfiguredSource source;
        try {
            source = build(definition, inbound, stored.paused());
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.warn("Webhook source {}: cannot receive ({}); {}", key, e.getMessage(), keeping(current));
            return;
        }
        if (current != null && !current.sourceId().equals(definition.id())) {
            sources.removeLive(current.sourceId());
        }
        sources.putLive(source);
        byKey.put(key, new Receiving(definition.id(), stored.fingerprint(), stored.paused()));
        LOG.info("Webhook source {}: {} at /webhooks/{} ({}, events {}){}", key,
                current == null ? "receiving" : "replaced", definition.id(), inbound.scheme(),
                inbound.events().keySet(), stored.paused() ? ", paused: answered 503 until resumed" : "");
    }

    private ConfiguredSource build(SourceDefinition definition, Webhooks.Inbound inbound, boolean paused) {
        List<String> secrets = inbound.secrets().stream().map(secret -> resolve(secret)).toList();
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

    private String resolve(SecretRef secret) {
        return secret.resolve(environment); // IllegalStateException naming the reference, never the value
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
    }

    @Override
    public boolean isRunning() {
        return follower.isRunning();
    }
}
