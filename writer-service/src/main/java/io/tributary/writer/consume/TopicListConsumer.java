package io.tributary.writer.consume;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * A listener container over an explicit list of topics, replaced by a new one when the list changes (decision
 * 0029): spring-kafka fixes a container's topics when it is built, and a pattern subscription would read topics
 * nobody has configured yet. The missing topics (and their dead-letter topics) are created first; then the
 * running container is stopped gracefully — it finishes the records in flight and commits their offsets — and the
 * new one starts from the group's committed offsets, so nothing is skipped or read twice beyond the usual
 * at-least-once. Used for the change topics ({@link ChangeSubscription}) and the outbound topics of two-way delivery.
 *
 * @param <V> the record value type
 */
public final class TopicListConsumer<V> {

    private static final Logger LOG = LoggerFactory.getLogger(TopicListConsumer.class);

    private final String what;
    private final Function<List<String>, ConcurrentMessageListenerContainer<String, V>> containers;
    private final UnaryOperator<String> deadLetterOf;
    private final KafkaAdmin admin;
    private final WriterTopicsProperties topicProperties;
    private final Set<String> created = new HashSet<>();
    /** Read without the lock by metrics and status: a restart holds the lock for as long as a batch takes. */
    private volatile @Nullable ConcurrentMessageListenerContainer<String, V> container;
    private volatile List<String> topics = List.of();

    /**
     * @param what           what is consumed, for logs ("change topics")
     * @param containers     builds a container, not started, over the topics it is given
     * @param deadLetterOf   a topic's dead-letter topic, created with it
     * @param createdAtStart topics the application's {@code KafkaAdmin.NewTopics} create at start (which copes with
     *                       a broker that is not there yet): not created again here
     */
    public TopicListConsumer(String what, Function<List<String>, ConcurrentMessageListenerContainer<String, V>> containers,
            UnaryOperator<String> deadLetterOf, KafkaAdmin admin, WriterTopicsProperties topicProperties,
            Collection<String> createdAtStart) {
        this.what = what;
        this.containers = containers;
        this.deadLetterOf = deadLetterOf;
        this.admin = admin;
        this.topicProperties = topicProperties;
        this.created.addAll(createdAtStart);
    }

    /** Consumes {@code next} from now on; nothing when it is what is consumed already; an empty list stops. */
    public synchronized void consume(List<String> next) {
        if (next.equals(topics) && (container != null || next.isEmpty())) {
            return;
        }
        createTopics(next);
        ConcurrentMessageListenerContainer<String, V> previous = container;
        if (previous != null) {
            LOG.info("{}: now {}; stopping the consumer of {} (it commits what it processed)", what, next, topics);
            previous.stop(); // waits for the records in flight and their offset commit
            container = null;
        }
        topics = List.copyOf(next);
        if (next.isEmpty()) {
            LOG.info("{}: none to consume", what);
            return;
        }
        ConcurrentMessageListenerContainer<String, V> started = containers.apply(next);
        started.start();
        container = started;
        LOG.info("{}: consuming {}", what, next);
    }

    /** Stops consuming (waits for the records in flight). */
    public synchronized void stop() {
        consume(List.of());
    }

    /** The topics consumed now (empty before the first subscription). */
    public List<String> topics() {
        return topics;
    }

    /** The Kafka consumer's metrics, per consumer (empty while nothing is consumed). */
    public Map<String, Map<MetricName, ? extends Metric>> metrics() {
        ConcurrentMessageListenerContainer<String, V> current = container;
        return current == null ? Map.of() : current.metrics();
    }

    /** The partitions this instance holds now. */
    public Collection<TopicPartition> assignedPartitions() {
        ConcurrentMessageListenerContainer<String, V> current = container;
        return current == null ? List.of() : current.getAssignedPartitions();
    }

    /**
     * Creates the topics not created yet, and only those: an existing topic (auto-created by a producer that came
     * first) is left as it is, since more partitions would move keys to other partitions while events are in flight.
     */
    private void createTopics(List<String> next) {
        if (!topicProperties.create()) {
            return;
        }
        List<NewTopic> missing = next.stream().filter(topic -> !created.contains(topic))
                .flatMap(topic -> Stream.of(topic, deadLetterOf.apply(topic)))
                .map(name -> TopicBuilder.name(name).partitions(topicProperties.partitions())
                        .replicas(topicProperties.replicationFactor()).build())
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        try (Admin client = Admin.create(admin.getConfigurationProperties())) {
            for (var result : client.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Failed to create " + result.getKey(), e.getCause());
                    }
                }
            }
            created.addAll(next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | TimeoutException e) {
            // the consumer finds a topic created later (by the next attempt, or a producer) at a metadata refresh;
            // failing here would leave the old topics consumed until a restart
            LOG.warn("{}: could not create {} ({}); subscribing anyway, creating them again at the next change", what,
                    missing.stream().map(NewTopic::name).toList(), e.toString());
        }
    }
}
