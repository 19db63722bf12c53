package io.tributary.writer.outbound;

import io.tributary.definition.SecretRef;
import io.tributary.definition.Sync;
import io.tributary.definition.Webhooks;
import io.tributary.model.outbound.OutboundTopics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Where local changes go, as one immutable table that is replaced whole when a definition changes: the delivered
 * entities by {@link LocalChangeDelivery#targetKey (source, table)}, the REST client of each source (its calls, and
 * the read before a conflict check), the signer of each declared outbound webhook, and the sources that are paused
 * (their changes wait).
 */
record DeliveryRoutes(Map<String, DeliveryTarget> targets, Map<String, SourceClient> clients,
        Map<Webhooks.Outbound, OutboundWebhook> webhooks, Set<String> pausedSources) {

    static final DeliveryRoutes NONE = new DeliveryRoutes(Map.of(), Map.of(), Map.of(), Set.of());

    DeliveryRoutes {
        targets = Map.copyOf(targets);
        clients = Map.copyOf(clients);
        webhooks = Map.copyOf(webhooks);
        pausedSources = Set.copyOf(pausedSources);
    }

    /**
     * The routes of {@code targets}, their clients built now: every secret reference is resolved here, by
     * {@code credentials} (within the definition's {@link io.tributary.definition.SecretScope}), so one that cannot
     * be is an {@link IllegalStateException} naming the reference (never a value) before anything is sent.
     */
    static DeliveryRoutes of(List<DeliveryTarget> targets, boolean paused, Duration requestTimeout,
            Function<SecretRef, String> credentials) {
        Map<String, DeliveryTarget> byKey = new LinkedHashMap<>();
        Map<String, SourceClient> clients = new LinkedHashMap<>();
        Map<Webhooks.Outbound, OutboundWebhook> webhooks = new LinkedHashMap<>();
        Set<String> pausedSources = new TreeSet<>();
        for (DeliveryTarget target : targets) {
            byKey.put(LocalChangeDelivery.targetKey(target.source().id(), target.table()), target);
            if (target.delivery() != null || target.source().sync().conflict() != Sync.Conflict.LOCAL_WINS) {
                clients.computeIfAbsent(target.source().id(), id -> new SourceClient(WebClient.builder(),
                        target.source(), requestTimeout, credentials));
            }
            target.webhooks().values().forEach(webhook -> webhooks.computeIfAbsent(webhook, declared ->
                    new OutboundWebhook(declared, target.source().retry(), requestTimeout, WebClient.builder(),
                            credentials, InstantSource.system())));
            if (paused) {
                pausedSources.add(target.source().id());
            }
        }
        return new DeliveryRoutes(byKey, clients, webhooks, pausedSources);
    }

    /** All of {@code parts} in one table (each source's routes come from one part). */
    static DeliveryRoutes merge(Collection<DeliveryRoutes> parts) {
        Map<String, DeliveryTarget> targets = new LinkedHashMap<>();
        Map<String, SourceClient> clients = new LinkedHashMap<>();
        Map<Webhooks.Outbound, OutboundWebhook> webhooks = new LinkedHashMap<>();
        Set<String> paused = new TreeSet<>();
        for (DeliveryRoutes part : parts) {
            targets.putAll(part.targets());
            clients.putAll(part.clients());
            webhooks.putAll(part.webhooks());
            paused.addAll(part.pausedSources());
        }
        return new DeliveryRoutes(targets, clients, webhooks, paused);
    }

    /** These routes with every source of theirs paused (or resumed): the same clients, no credential read again. */
    DeliveryRoutes paused(boolean paused) {
        return new DeliveryRoutes(targets, clients, webhooks, paused ? sources() : Set.of());
    }

    /** The source ids these routes deliver. */
    Set<String> sources() {
        Set<String> sources = new TreeSet<>();
        targets.values().forEach(target -> sources.add(target.source().id()));
        return sources;
    }

    /**
     * The outbound topics to consume: those of every entity one source delivers that is not paused. A topic whose
     * sources are all paused is not consumed, so its changes wait on it, in order.
     */
    List<String> topics() {
        return targets.values().stream().filter(target -> !pausedSources.contains(target.source().id()))
                .map(DeliveryTarget::table).distinct().sorted().map(OutboundTopics::forEntity).toList();
    }
}
