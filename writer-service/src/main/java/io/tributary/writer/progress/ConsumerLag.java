package io.tributary.writer.progress;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.jspecify.annotations.Nullable;

/**
 * The writer's consumer lag, from the consumer's per-partition {@code records-lag} metrics as of its last
 * fetch: in total, per topic, and as the gauge {@code tributary.writer.consumer.lag} (tag topic; NaN until
 * the consumer has fetched from a partition of that topic). It covers the partitions this instance holds, of the
 * consumer running now (a new one replaces it when the writer learns an entity: decision 0029), and a topic learnt
 * while running gets its gauge when {@link #track} is told of it.
 */
final class ConsumerLag implements MeterBinder {

    private final Supplier<Map<String, Map<MetricName, ? extends Metric>>> consumerMetrics;
    private final Set<String> topics = new HashSet<>();
    private @Nullable MeterRegistry registry;

    ConsumerLag(Supplier<Map<String, Map<MetricName, ? extends Metric>>> consumerMetrics, List<String> topics) {
        this.consumerMetrics = consumerMetrics;
        this.topics.addAll(topics);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.registry = registry;
        topics.forEach(topic -> gauge(registry, topic));
    }

    /** Adds the topics not known yet (with their gauges, once bound). */
    synchronized void track(List<String> current) {
        for (String topic : current) {
            if (topics.add(topic) && registry != null) {
                gauge(registry, topic);
            }
        }
    }

    private void gauge(MeterRegistry registry, String topic) {
        Gauge.builder("tributary.writer.consumer.lag", this, lag -> lag.ofTopic(topic))
                .description("Records not yet consumed by this writer instance, as of its last fetch")
                .tag("topic", topic)
                .register(registry);
    }

    /** Empty until the consumer has fetched from at least one partition. */
    OptionalLong total() {
        Map<String, Long> byTopic = byTopic();
        return byTopic.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(byTopic.values().stream().mapToLong(Long::longValue).sum());
    }

    /** Lag per change topic, for the topics with at least one fetched partition, by topic name. */
    Map<String, Long> byTopic() {
        Set<String> known;
        synchronized (this) {
            known = Set.copyOf(topics);
        }
        Map<String, Long> lag = new TreeMap<>();
        for (Map<MetricName, ? extends Metric> byName : consumerMetrics.get().values()) {
            for (Map.Entry<MetricName, ? extends Metric> entry : byName.entrySet()) {
                MetricName name = entry.getKey();
                // Kafka reports each partition twice: tagged with the topic's name and, for older metric
                // reporters, with its dots replaced by underscores. Count the real name only.
                String topic = name.tags().get("topic");
                if (name.name().equals("records-lag") && topic != null && known.contains(topic)
                        && name.tags().containsKey("partition")
                        && entry.getValue().metricValue() instanceof Number value && !Double.isNaN(value.doubleValue())) {
                    lag.merge(topic, value.longValue(), Long::sum);
                }
            }
        }
        return lag;
    }

    private double ofTopic(String topic) {
        Long lag = byTopic().get(topic);
        return lag == null ? Double.NaN : lag;
    }
}
