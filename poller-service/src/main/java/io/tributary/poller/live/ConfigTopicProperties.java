package io.tributary.poller.live;

import io.tributary.definition.SecretScope;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.poller.config-topic}: run the sources the admin API stores (decision 0022). Off by
 * default: a poller then runs only the sources of its own configuration.
 *
 * @param enabled   read the topic and run its {@code rest} sources
 * @param topic     the admin service's compacted topic of source definitions
 * @param directory where each definition version is written as a file for the {@code rest} kind (no
 *                  credential is ever in a definition: only references to them)
 * @param retry     the pause before reading the topic again after a failure (broker down, topic not created yet)
 * @param shards    how many pollers share the live sources (each source runs on exactly one of them)
 * @param shard     which of them this poller is, 0 to {@code shards - 1}
 * @param secretsEnvPrefix a definition of organization {@code org} may name only environment variables
 *                  {@code <prefix><ORG>__<NAME>} (decision 0031); the same value as the admin service's
 * @param secretsDirectory and only files under {@code <directory>/<org>/}, symbolic links followed
 */
@ConfigurationProperties("tributary.poller.config-topic")
record ConfigTopicProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("tributary.config.sources") String topic,
        @DefaultValue("${java.io.tmpdir}/tributary-live-sources") Path directory,
        @DefaultValue("2s") Duration retry,
        @DefaultValue("1") int shards,
        @DefaultValue("0") int shard,
        @DefaultValue("TRIBUTARY_SECRET_") String secretsEnvPrefix,
        @DefaultValue("/run/secrets/tributary") Path secretsDirectory) {

    ConfigTopicProperties {
        if (topic.isBlank()) {
            throw new IllegalArgumentException("tributary.poller.config-topic.topic must not be blank");
        }
        if (retry.isNegative() || retry.isZero()) {
            throw new IllegalArgumentException("tributary.poller.config-topic.retry must be positive, was " + retry);
        }
        try {
            SecretScope.checkRoots(secretsEnvPrefix, secretsDirectory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tributary.poller.config-topic.secrets-*: " + e.getMessage());
        }
        if (shards < 1 || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("tributary.poller.config-topic.shard must be 0 to shards - 1 and shards"
                    + " at least 1; were shard " + shard + " of " + shards);
        }
    }

    /**
     * Whether this poller runs {@code sourceId}: its shard is the source id's {@code String.hashCode} (defined by
     * the Java language, the same in every JVM) modulo {@code shards}, so pollers agree without talking.
     */
    boolean owns(String sourceId) {
        return Math.floorMod(sourceId.hashCode(), shards) == shard;
    }
}
