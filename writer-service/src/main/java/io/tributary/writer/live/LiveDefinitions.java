package io.tributary.writer.live;

import io.tributary.definition.InvalidDefinitionException;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.SourceDefinitionLoader;
import io.tributary.definition.topic.EntityClaims;
import io.tributary.definition.topic.StoredSource;
import io.tributary.runtime.config.CompactedTopicFollower;
import io.tributary.writer.consume.ChangeSubscription;
import io.tributary.writer.outbound.OutboundDelivery;
import io.tributary.writer.sources.SourceActivity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * Keeps what the writer applies and delivers equal to the source definitions of the config topic (decision 0029),
 * as pollers keep their running sources (0022) and receivers their webhook sources (0027): every writer reads the
 * whole compacted topic, with no consumer group, and reconciles each key as it arrives, on one thread.
 * <ul>
 *   <li>A new or changed definition is validated; a refused one is logged with its problems and changes nothing.
 *       Every refusal (of a version, of an entity, of a delivery) is also reported to {@link SourceActivity}, for
 *       {@code GET /status/sources} and through it the admin API's source status.
 *       A valid one's targets join the catalog ({@link LiveEntities}); its two-way entities are delivered
 *       ({@link OutboundDelivery}), or stop being delivered when it is no longer two-way. Its credentials are its
 *       organization's secrets only (decision 0031): a version naming another is not delivered (logged with the
 *       reference and the rule), and what was delivered before goes on.</li>
 *   <li>An entity is a table and its rows, one organization's (decision 0031): a definition naming an entity a key of
 *       another organization holds ({@link EntityClaims}) is refused whole, before anything of it is merged, and waits;
 *       it is applied once no key of that organization names the entity. The admin API refuses such a definition; this
 *       is for a topic written by other means, as the pollers and receivers do.</li>
 *   <li>Paused: its delivery stops (its changes wait on the outbound topic); resumed: delivered again. Its events
 *       are applied either way (a paused source produces none; those already on the topics are applied).</li>
 *   <li>Deleted: its delivery stops. Its entities stay in the catalog and its tables and columns in the main
 *       database: deleting a definition never drops data.</li>
 * </ul>
 * Every definition refused whole is logged and counted ({@link SourceActivity#refusedCount()}, the gauge
 * {@code tributary.writer.live.refused}).
 * The writer consumes nothing until it has read the topic to its end once ({@link CompactedTopicFollower#caughtUp}):
 * otherwise it could apply events of an entity before it knew the column a later definition adds.
 */
final class LiveDefinitions implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LiveDefinitions.class);

    private final WriterConfigTopicProperties properties;
    private final CompactedTopicFollower follower;
    private final LiveEntities entities;
    private final ChangeSubscription subscription;
    private final @Nullable OutboundDelivery delivery;
    private final SourceActivity activity;
    private final SourceDefinitionLoader loader = new SourceDefinitionLoader();
    /** Topic key → the definition version applied for it. */
    private final Map<String, Applied> byKey = new HashMap<>();
    /** Which organization holds each entity name, over every key read. */
    private final EntityClaims entityClaims = new EntityClaims();
    private volatile boolean settled;

    /** @param refused what the version taken did not take (entities), kept for a re-read of the same version */
    private record Applied(String sourceId, String fingerprint, boolean paused, Set<String> twoWayTables,
            List<SourceActivity.Refused> refused) {
    }

    LiveDefinitions(WriterConfigTopicProperties properties, Map<String, Object> consumerConfig, LiveEntities entities,
            ChangeSubscription subscription, @Nullable OutboundDelivery delivery, SourceActivity activity) {
        this.properties = properties;
        this.activity = activity;
        this.entities = entities;
        this.subscription = subscription;
        this.delivery = delivery;
        this.follower = new CompactedTopicFollower(properties.topic(), consumerConfig, properties.retry(), this::apply,
                "writer-config-topic");
        // consume nothing before the definitions are known (built before any lifecycle starts)
        subscription.deferUntilFollowed();
        if (delivery != null) {
            delivery.deferUntilFollowed();
        }
    }

    /** Brings one key's entities and delivery to what its latest topic value says; then those an entity let go waited for. */
    void apply(@Nullable String key, byte @Nullable [] value) {
        applyOne(key, value);
        entityClaims.applyFreed(this::applyOne);
    }

    private void applyOne(@Nullable String key, byte @Nullable [] value) {
        if (key == null) {
            LOG.warn("Writer definitions: a record of {} has no key; ignored", properties.topic());
            return;
        }
        entityClaims.superseded(key); // the newest value of a key wins: an older one waiting for an entity is dropped
        Applied current = byKey.get(key);
        if (value == null) {
            entityClaims.release(key);
            activity.deleted(key);
            if (current != null) {
                byKey.remove(key);
                stopDelivering(key);
                LOG.info("Definition {}: deleted; its entities, tables and rows stay, its delivery (if any) stopped", key);
            }
            return;
        }
        StoredSource stored;
        try {
            stored = StoredSource.read(key, value);
        } catch (IllegalArgumentException e) {
            LOG.warn("Definition {}: the topic value is not a stored source ({}); nothing changes", key, e.getMessage());
            activity.versionRefused(key, StoredSource.organizationOf(key), StoredSource.sourceIdOf(key),
                    "the topic value is not a stored source (" + e.getMessage() + ")" + keeping(current));
            return;
        }
        var clash = entityClaims.admit(key, stored.organization(), stored.entityNames(), value);
        if (clash.isPresent()) {
            LOG.warn("Definition {}: refused, entity '{}' is already held by {}, of another organization (an entity is "
                    + "a table and its rows: nothing of this definition is merged); {}; it is applied once no definition "
                    + "of that organization names it", key, clash.get().entity(), clash.get().holderKey(),
                    current == null ? "nothing taken from it" : "the version taken before goes on");
            // the holder is not named: it is another organization's (decision 0031)
            activity.versionRefused(key, stored.organization(), stored.sourceId(), "entity '" + clash.get().entity()
                    + "' is another organization's (an entity is a table and its rows); applied once it is let go"
                    + keeping(current));
            return;
        }
        if (current != null && current.fingerprint().equals(stored.fingerprint()) && current.paused() == stored.paused()) {
            activity.takenAgain(key); // it may follow a version refused: that refusal no longer stands
            return; // read again after a reconnect, or a change that does not concern the writer (a resync)
        }
        SourceDefinition definition;
        try {
            definition = loader.read(stored.definitionJson(), SourceDefinitionLoader.Format.JSON, key);
        } catch (InvalidDefinitionException e) {
            LOG.warn("Definition {}: refused, {}; {}", key, e.problems(), current == null ? "nothing taken from it"
                    : "the version taken before goes on");
            activity.versionRefused(key, stored.organization(), stored.sourceId(),
                    "definition refused: " + e.problems() + keeping(current));
            return;
        }
        String holder = byKey.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(key) && entry.getValue().sourceId().equals(definition.id()))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (holder != null) {
            LOG.warn("Definition {}: source id '{}' is already defined by {}; refused (the id keys rows and changes)",
                    key, definition.id(), holder);
            // the holder is not named: it may be another organization's (decision 0031)
            activity.versionRefused(key, stored.organization(), definition.id(), "source id '" + definition.id()
                    + "' is already another definition's (the id keys rows and changes)" + keeping(current));
            return;
        }
        boolean sameDefinition = current != null && current.fingerprint().equals(stored.fingerprint());
        List<SourceActivity.Refused> refused = new ArrayList<>();
        Set<String> twoWayTables;
        if (sameDefinition) {
            twoWayTables = current.twoWayTables();
            refused.addAll(current.refused());
        } else {
            LiveEntities.Taken taken = entities.apply(key, definition);
            twoWayTables = taken.twoWayReady();
            refused.addAll(taken.refused());
        }
        byKey.put(key, new Applied(definition.id(), stored.fingerprint(), stored.paused(), twoWayTables,
                List.copyOf(refused)));
        if (settled) {
            subscription.follow(); // the new entities' topics, now that their tables exist
        }
        String notDelivered = deliver(key, definition, twoWayTables, stored);
        if (notDelivered != null) {
            refused.add(new SourceActivity.Refused(null, notDelivered));
        }
        activity.taken(key, stored.organization(), definition.id(), refused);
    }

    private static String keeping(@Nullable Applied current) {
        return current == null ? "; nothing taken from it" : "; the version taken before goes on";
    }

    /**
     * Its credentials only from its organization's secrets (decision 0031), the key's organization being its own.
     *
     * @return why its local changes are not delivered; null when they are (or it delivers none)
     */
    private @Nullable String deliver(String key, SourceDefinition definition, Set<String> twoWayTables,
            StoredSource stored) {
        if (delivery == null) {
            return null;
        }
        boolean paused = stored.paused();
        try {
            List<String> delivered = delivery.deliver(key, definition, twoWayTables, paused,
                    properties.secretScope(stored.organization()));
            if (!delivered.isEmpty()) {
                LOG.info("Definition {}: local changes of {} {}", key, delivered,
                        paused ? "wait (paused) until it is resumed" : "delivered to source '" + definition.id() + "'");
            }
            return null;
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.warn("Definition {}: its local changes cannot be delivered ({}); what was delivered before goes on",
                    key, e.getMessage());
            return "its local changes cannot be delivered (" + e.getMessage() + "); what was delivered before goes on";
        }
    }

    private void stopDelivering(String key) {
        if (delivery != null) {
            delivery.stopDelivering(key);
        }
    }

    /** The topic read to its end once: the writer knows its catalog and starts consuming. */
    private void settle() {
        settled = true;
        try {
            subscription.follow();
            if (delivery != null) {
                delivery.follow();
            }
            LOG.info("Writer definitions: {} read from {}; consuming", byKey.size(), properties.topic());
        } catch (RuntimeException e) {
            LOG.error("Writer definitions: starting to consume failed (retried at the next definition change)", e);
        }
    }

    @Override
    public void start() {
        follower.caughtUp().thenRun(this::settle);
        follower.start();
        LOG.info("Writer definitions: following {}; consuming once it is read to its end", properties.topic());
    }

    @Override
    public void stop() {
        follower.stop();
    }

    @Override
    public boolean isRunning() {
        return follower.isRunning();
    }

    /** Before the consumers it feeds: they start after it and stop before it. */
    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE - 100;
    }
}
