package io.tributary.poller.live;

import io.tributary.definition.EntitySource;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.SourceDefinitionLoader;
import io.tributary.definition.Sync;
import io.tributary.definition.topic.StoredSource;
import io.tributary.poller.outbound.CapturedEntities;
import io.tributary.poller.status.SourceActivity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the capture of local changes which stored definitions are two-way (decision 0030). Every value of the
 * config topic is seen here, whatever shard runs the source: capture runs on one poller for the whole deployment.
 * A definition's captured entities are the target tables of its delivered entities (a REST {@code delivery} or an
 * outbound webhook: the ones the writer delivers). Paused sources stay captured (a pause stops delivery, the
 * writer's side; changes made meanwhile are delivered on resume). A definition that does not load keeps what
 * the previous version declared. Without capture on this poller, a two-way source it runs is logged at WARN and
 * marked on {@code GET /status}: it is polled, but the application's changes to it go nowhere.
 * Called on the config topic's thread only.
 */
final class TwoWayDefinitions {

    private static final Logger LOG = LoggerFactory.getLogger(TwoWayDefinitions.class);

    private final @Nullable CapturedEntities captured;
    private final SourceActivity activity;
    private final int shards;
    private final SourceDefinitionLoader loader = new SourceDefinitionLoader();
    /** Per key of a two-way definition, its source id. */
    private final Map<String, String> twoWay = new HashMap<>();
    /** Per key, the fingerprint of the version last warned about (a WARN per version, not per re-read). */
    private final Map<String, String> warned = new HashMap<>();

    TwoWayDefinitions(@Nullable CapturedEntities captured, SourceActivity activity, int shards) {
        this.captured = captured;
        this.activity = activity;
        this.shards = shards;
    }

    /** A stored value; {@code runsHere}: this poller runs the source (its shard). */
    void stored(StoredSource stored, boolean runsHere) {
        SourceDefinition definition;
        try {
            definition = loader.read(stored.definitionJson(), SourceDefinitionLoader.Format.JSON, stored.key());
        } catch (RuntimeException e) {
            return; // LiveSources logs the problems of the sources it runs; what was captured stays
        }
        Set<String> tables = deliveredTables(definition);
        if (definition.sync().mode() != Sync.Mode.TWO_WAY || tables.isEmpty()) {
            removed(stored.key());
            return;
        }
        twoWay.put(stored.key(), definition.id());
        if (captured != null) {
            captured.stored(stored.key(), definition.id(), tables);
            return;
        }
        if (runsHere) {
            if (!stored.fingerprint().equals(warned.put(stored.key(), stored.fingerprint()))) {
                LOG.warn("Live source {}: two-way, but the application's changes to {} are not captured:"
                        + " tributary.poller.capture.enabled is false on this poller{}; it is polled one way only",
                        stored.key(), tables, shards > 1 ? " (unless another poller of the deployment captures)" : "");
            }
            activity.capture(definition.id(), "not captured: tributary.poller.capture.enabled is false on this poller"
                    + (shards > 1 ? " (unless another poller of the deployment captures)" : "")
                    + "; polled, but the application's changes to " + tables + " are not sent back");
        }
    }

    /** The value under {@code key} was deleted, or is no longer two-way. */
    void removed(String key) {
        warned.remove(key);
        String sourceId = twoWay.remove(key);
        if (captured != null) {
            captured.removed(key);
        } else if (sourceId != null) {
            activity.capture(sourceId, null);
        }
    }

    /** The tables of the entities the writer delivers: a REST delivery or an outbound webhook names them. */
    static Set<String> deliveredTables(SourceDefinition definition) {
        Set<String> delivered = new HashSet<>();
        definition.webhooks().outbound().forEach(webhook -> delivered.add(webhook.entity()));
        Set<String> tables = new TreeSet<>();
        for (EntitySource entity : definition.entities()) {
            if (entity.target() != null && (entity.delivery() != null || delivered.contains(entity.name()))) {
                tables.add(entity.target().table());
            }
        }
        return tables;
    }
}
