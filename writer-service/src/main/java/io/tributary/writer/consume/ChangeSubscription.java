package io.tributary.writer.consume;

import io.tributary.model.ChangeEvent;
import io.tributary.writer.entity.CurrentCatalog;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * The writer's subscription to the change topics of the {@link CurrentCatalog}: {@code tributary.changes.<entity>}
 * for every entity, an explicit list, never a pattern (a pattern would read events of an entity the writer does not
 * know yet, and dead-letter them). When the catalog gains an entity (decision 0029), {@link #follow()} creates its
 * topic and {@code .dlt} and replaces the container ({@link TopicListConsumer}). A catalog change that keeps the
 * topics (a column added) needs no restart: the listener takes the current catalog per batch.
 *
 * <p>Started with the application (after every table exists), unless the component that learns the catalog while
 * the writer runs {@link #deferUntilFollowed() defers} it until it has read the definitions.
 */
public final class ChangeSubscription implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeSubscription.class);

    private final CurrentCatalog catalog;
    private final TopicListConsumer<ChangeEvent> consumer;
    private boolean deferred;
    private boolean running;

    ChangeSubscription(CurrentCatalog catalog, TopicListConsumer<ChangeEvent> consumer) {
        this.catalog = catalog;
        this.consumer = consumer;
    }

    /**
     * Called while the application is built by the component that learns the catalog: the writer then consumes
     * nothing until that component calls {@link #follow()} (a writer that consumed before it had read its
     * definitions would apply events without the columns they bring).
     */
    public synchronized void deferUntilFollowed() {
        deferred = true;
    }

    /** Consumes the change topics of the current catalog, replacing the container if they changed. */
    public synchronized void follow() {
        deferred = false;
        if (running) {
            consumer.consume(ConsumerConfiguration.changeTopics(catalog.get()));
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        if (deferred) {
            LOG.info("Change topics: waiting for the source definitions of the config topic before consuming");
        } else {
            consumer.consume(ConsumerConfiguration.changeTopics(catalog.get()));
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

    /** As listener containers: started last, stopped first. */
    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE;
    }

    /** The topics consumed now (empty before the first subscription). */
    public List<String> topics() {
        return consumer.topics();
    }

    /** The Kafka consumer's metrics (empty while nothing is consumed). */
    public Map<String, Map<MetricName, ? extends Metric>> metrics() {
        return consumer.metrics();
    }

    /** The partitions this instance holds now. */
    public Collection<TopicPartition> assignedPartitions() {
        return consumer.assignedPartitions();
    }
}
