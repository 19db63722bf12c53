package io.tributary.writer.live;

import io.tributary.definition.SecretScope;
import java.nio.file.Path;
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
 * @param secretsEnvPrefix a two-way definition of organization {@code org} is delivered with only environment
 *                variables {@code <prefix><ORG>__<NAME>} (decision 0031); the same value as the admin service's
 * @param secretsDirectory and only files under {@code <directory>/<org>/}, symbolic links followed
 */
@ConfigurationProperties("tributary.writer.config-topic")
record WriterConfigTopicProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("tributary.config.sources") String topic,
        @DefaultValue("2s") Duration retry,
        @DefaultValue("TRIBUTARY_SECRET_") String secretsEnvPrefix,
        @DefaultValue("/run/secrets/tributary") Path secretsDirectory) {

    WriterConfigTopicProperties {
        if (topic.isBlank()) {
            throw new IllegalArgumentException("tributary.writer.config-topic.topic must not be blank");
        }
        if (retry.isNegative() || retry.isZero()) {
            throw new IllegalArgumentException("tributary.writer.config-topic.retry must be positive, was " + retry);
        }
        try {
            SecretScope.checkRoots(secretsEnvPrefix, secretsDirectory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tributary.writer.config-topic.secrets-*: " + e.getMessage());
        }
    }

    /** The secrets a definition of {@code organization} may name (decision 0031). */
    SecretScope secretScope(String organization) {
        return SecretScope.of(organization, secretsEnvPrefix, secretsDirectory);
    }
}
