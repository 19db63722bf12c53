package io.tributary.ingest.live;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.ingest.config-topic}: receive the webhooks of the sources the admin API stores (decision 0027).
 * Off by default: the receiver then answers only for {@code tributary.ingest.sources}.
 *
 * @param enabled follow the topic and receive for every definition with {@code webhooks.inbound}
 * @param topic   the admin service's compacted topic of source definitions
 * @param retry   the pause before reading the topic again after a failure
 */
@ConfigurationProperties("tributary.ingest.config-topic")
record IngestConfigTopicProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("tributary.config.sources") String topic,
        @DefaultValue("2s") Duration retry) {

    IngestConfigTopicProperties {
        if (topic.isBlank()) {
            throw new IllegalArgumentException("tributary.ingest.config-topic.topic must not be blank");
        }
        if (retry.isNegative() || retry.isZero()) {
            throw new IllegalArgumentException("tributary.ingest.config-topic.retry must be positive, was " + retry);
        }
    }
}
