package io.tributary.writer.progress;

import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.springframework.kafka.listener.MessageListenerContainer;

/** The writer's consumer lag: the sum of the per-partition {@code records-lag} metrics as of the last fetch. */
final class ConsumerLag {

    private final MessageListenerContainer container;

    ConsumerLag(MessageListenerContainer container) {
        this.container = container;
    }

    /** Empty until the consumer has fetched from at least one partition. */
    OptionalLong total() {
        long total = 0;
        boolean found = false;
        for (Map<MetricName, ? extends Metric> byName : container.metrics().values()) {
            for (Map.Entry<MetricName, ? extends Metric> entry : byName.entrySet()) {
                MetricName name = entry.getKey();
                if (name.name().equals("records-lag") && name.tags().containsKey("partition")
                        && entry.getValue().metricValue() instanceof Number value && !Double.isNaN(value.doubleValue())) {
                    total += value.longValue();
                    found = true;
                }
            }
        }
        return found ? OptionalLong.of(total) : OptionalLong.empty();
    }
}
