package io.tributary.writer.live;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.writer.config-topic}: learn the target entities and two-way deliveries of the source definitions
 * the admin API stores (decision 0029). Off by default: the writer then knows the forum's entities,
 * {@code tributary.writer.entities} and {@code tributary.writer.outbound.sources} only.
 *
 * @param enabled follow the topic
 * @param topic   the admin service's compacted topic of source definitions
 * @param retry   the pause before reading the topic again after a failure (broker down, main database busy)
 */
@ConfigurationProperties("tributary.writer.config-topic")
record WriterConfigTopicProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("tributary.config.sources") String topic,
        @DefaultValue("2s") Duration retry) {

    WriterConfigTopicProperties {
        if (topic.isBlank()) {
            throw new IllegalArgumentException("tributary.writer.config-topic.topic must not be blank");
        }
        if (retry.isNegative() || retry.isZero()) {
            throw new IllegalArgumentException("tributary.writer.config-topic.retry must be positive, was " + retry);
        }
    }
}
