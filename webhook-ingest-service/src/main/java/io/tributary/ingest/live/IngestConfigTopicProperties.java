package io.tributary.ingest.live;

import io.tributary.definition.SecretScope;
import java.nio.file.Path;
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
 * @param secretsEnvPrefix a definition of organization {@code org} may name only environment variables
 *                {@code <prefix><ORG>__<NAME>} (decision 0031); the same value as the admin service's
 * @param secretsDirectory and only files under {@code <directory>/<org>/}, symbolic links followed
 */
@ConfigurationProperties("tributary.ingest.config-topic")
record IngestConfigTopicProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("tributary.config.sources") String topic,
        @DefaultValue("2s") Duration retry,
        @DefaultValue("TRIBUTARY_SECRET_") String secretsEnvPrefix,
        @DefaultValue("/run/secrets/tributary") Path secretsDirectory) {

    IngestConfigTopicProperties {
        try {
            SecretScope.checkRoots(secretsEnvPrefix, secretsDirectory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tributary.ingest.config-topic.secrets-*: " + e.getMessage());
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException("tributary.ingest.config-topic.topic must not be blank");
        }
        if (retry.isNegative() || retry.isZero()) {
            throw new IllegalArgumentException("tributary.ingest.config-topic.retry must be positive, was " + retry);
        }
    }
}
