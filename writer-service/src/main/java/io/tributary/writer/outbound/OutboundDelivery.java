package io.tributary.writer.outbound;

import io.tributary.definition.DefinitionProblem;
import io.tributary.definition.EntitySource;
import io.tributary.definition.SecretScope;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.Sync;
import io.tributary.writer.consume.TopicListConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * Two-way delivery as it runs: the {@link DeliveryRoutes} of every delivering source — those of
 * {@code tributary.writer.outbound.sources}, and those of the two-way definitions on the config topic, which
 * {@link #deliver} and {@link #stopDelivering} change while the writer runs (decision 0029) — and the consumer of
 * their outbound topics, replaced when the topics change. Routes are swapped whole, before the consumer is, so a
 * change is always delivered with the routes of one moment. A paused source's topics are not consumed (its changes
 * wait, in order); where a topic is shared with a source that is not paused, its changes wait in their partition.
 * The consumer's {@code max.poll.interval.ms} is derived from the routes it starts with ({@link DeliveryBudget}): routes
 * whose changes may take longer stop it before they are swapped in, and a new one is built for them.
 */
public final class OutboundDelivery implements SmartLifecycle {

    /** The owner of the routes of {@code tributary.writer.outbound.sources}. */
    static final String CONFIGURED = "tributary.writer.outbound.sources";
    private static final Logger LOG = LoggerFactory.getLogger(OutboundDelivery.class);

    private final TopicListConsumer<byte[]> consumer;
    private final Duration requestTimeout;
    private final UnaryOperator<@Nullable String> environment;
    /** Routes per owner (the configuration, or a config-topic key), in the order they came. */
    private final Map<String, DeliveryRoutes> byOwner = new LinkedHashMap<>();
    private volatile DeliveryRoutes routes = DeliveryRoutes.NONE;
    /** What the running consumer's {@code max.poll.interval.ms} was derived from (the routes it was built with). */
    private DeliveryBudget consumerBudget = new DeliveryBudget(Duration.ZERO);
    private boolean deferred;
    private boolean running;

    /** {@code consumers}: the consumer of the outbound topics, given where its listener reads the routes from. */
    OutboundDelivery(Function<Supplier<DeliveryRoutes>, TopicListConsumer<byte[]>> consumers, DeliveryRoutes configured,
            Duration requestTimeout, UnaryOperator<@Nullable String> environment) {
        this.consumer = consumers.apply(this::routes);
        this.requestTimeout = requestTimeout;
        this.environment = environment;
        if (!configured.targets().isEmpty()) {
            byOwner.put(CONFIGURED, configured);
            routes = configured;
        }
    }

    /** What {@link LocalChangeDelivery} delivers with, read once per change. */
    DeliveryRoutes routes() {
        return routes;
    }

    /**
     * Delivers the local changes of {@code definition}'s delivered entities whose tables are two-way
     * ({@code twoWayTables}: made ready for capture), as its {@code delivery} or outbound webhooks say, replacing
     * what {@code owner} delivered before; {@code paused}: nothing is sent, the changes wait.
     *
     * {@code scope}: the secrets its references may name (its organization's, decision 0031); every reference of the
     * definition must be inside, also those the writer does not resolve itself, so that the writer refuses what the
     * poller and the receiver refuse.
     *
     * @return the entities delivered from now on (empty: nothing, e.g. none of its tables is two-way)
     * @throws IllegalStateException naming the reason, and what was delivered goes on: a secret reference outside
     *         {@code scope} (the reference and the rule, never a value) or that cannot be resolved, or a source id
     *         another owner delivers
     */
    public synchronized List<String> deliver(String owner, SourceDefinition definition, Set<String> twoWayTables,
            boolean paused, SecretScope scope) {
        if (definition.sync().mode() != Sync.Mode.TWO_WAY) {
            stopDelivering(owner);
            return List.of();
        }
        for (Map.Entry<String, DeliveryRoutes> other : byOwner.entrySet()) {
            if (!other.getKey().equals(owner) && other.getValue().sources().contains(definition.id())) {
                throw new IllegalStateException("source '" + definition.id() + "' is already delivered for "
                        + other.getKey());
            }
        }
        List<DeliveryTarget> targets = new ArrayList<>();
        for (EntitySource entity : definition.entities()) {
            if (DeliveryTarget.isDelivered(definition, entity) && twoWayTables.contains(entity.name())) {
                targets.add(DeliveryTarget.of(definition, entity));
            }
        }
        if (targets.isEmpty()) {
            stopDelivering(owner);
            return List.of();
        }
        DeliveryRoutes built;
        try {
            List<DefinitionProblem> outside = scope.problems(definition);
            if (!outside.isEmpty()) {
                throw new IllegalStateException("secret references outside the organization's: " + outside);
            }
            built = DeliveryRoutes.of(targets, paused, requestTimeout, ref -> scope.resolve(ref, environment));
        } catch (IllegalStateException refused) {
            // The version already delivering goes on with its own credentials, but a pause (or resume) is the
            // operator's word on the source, not on a version: it applies to what runs.
            DeliveryRoutes running = byOwner.get(owner);
            if (running != null && running.pausedSources().isEmpty() == paused) {
                byOwner.put(owner, running.paused(paused));
                reroute();
            }
            throw refused;
        }
        byOwner.put(owner, built);
        reroute();
        return targets.stream().map(DeliveryTarget::table).toList();
    }

    /** Delivers nothing more for {@code owner} (a deleted definition): its changes left on the topics wait. */
    public synchronized void stopDelivering(String owner) {
        if (byOwner.remove(owner) != null) {
            reroute();
        }
    }

    /** Called while the application is built when the routes are learnt later: nothing is consumed until {@link #follow()}. */
    public synchronized void deferUntilFollowed() {
        deferred = true;
    }

    /** Consumes the outbound topics of the current routes. */
    public synchronized void follow() {
        deferred = false;
        if (running) {
            consume();
        }
    }

    private void reroute() {
        DeliveryRoutes next = DeliveryRoutes.merge(byOwner.values());
        DeliveryBudget needed = DeliveryBudget.of(next, requestTimeout);
        if (running && !deferred && !consumer.topics().isEmpty() && !consumerBudget.covers(needed)) {
            // Stopped before the swap, so that no change of the new routes is delivered under the old poll interval
            LOG.info("Two-way delivery: a change may now take up to {} (was {}); the consumer is built again for it",
                    needed.perChange(), consumerBudget.perChange());
            consumer.stop();
        }
        routes = next;
        if (running && !deferred) {
            consume();
        }
    }

    /** Consumes the current routes' topics; a consumer built now derives its poll interval from these routes. */
    private void consume() {
        if (!routes.topics().equals(consumer.topics())) {
            consumerBudget = DeliveryBudget.of(routes, requestTimeout);
        }
        consumer.consume(routes.topics());
    }

    @Override
    public synchronized void start() {
        running = true;
        LOG.info("Two-way delivery: sources {}{}", routes.sources(), routes.pausedSources().isEmpty() ? ""
                : ", paused " + routes.pausedSources());
        if (!deferred) {
            consume();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        consumer.stop();
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE;
    }
}
