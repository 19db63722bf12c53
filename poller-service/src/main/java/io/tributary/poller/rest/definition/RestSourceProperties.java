package io.tributary.poller.rest.definition;

import io.tributary.definition.SecretScope;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of one {@code rest} source, bound from its {@code tributary.poller.sources[i]} node. Everything
 * about the API itself is in the definition file; these are the poller's own bounds. No secret here: the
 * definition holds only references to credentials.
 *
 * @param definition      the source definition (YAML, or JSON by a {@code .json} extension); required
 * @param responseTimeout bound of one request, body included; a timeout is retried
 * @param maxPageSize     the largest response body accepted
 * @param maxPages        the most pages one pass may walk (a source that never stops cannot hold the poller)
 * @param secretsEnvPrefix with {@code secretsDirectory}: the definition may name only its organization's secrets
 *                        (decision 0031), as live sources of the config topic are held to; unset (a configured
 *                        source, the operator's own file): any reference
 * @param secretsDirectory see {@code secretsEnvPrefix}
 */
record RestSourceProperties(
        @Nullable Path definition,
        @DefaultValue("30s") Duration responseTimeout,
        @DefaultValue("32MB") DataSize maxPageSize,
        @DefaultValue("10000") int maxPages,
        @Nullable String secretsEnvPrefix,
        @Nullable Path secretsDirectory) {

    RestSourceProperties {
        if ((secretsEnvPrefix == null) != (secretsDirectory == null)) {
            throw new IllegalArgumentException("secrets-env-prefix and secrets-directory are set together, or neither");
        }
        if (secretsEnvPrefix != null && secretsDirectory != null) {
            SecretScope.checkRoots(secretsEnvPrefix, secretsDirectory);
        }
        if (definition == null) {
            throw new IllegalArgumentException("definition (the path of the source definition file) is required");
        }
        if (responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("response-timeout must be positive, was " + responseTimeout);
        }
        if (maxPageSize.toBytes() < 1024 || maxPageSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("max-page-size must be between 1KB and 2GB, was " + maxPageSize);
        }
        if (maxPages < 1) {
            throw new IllegalArgumentException("max-pages must be >= 1, was " + maxPages);
        }
    }

    /** Where the definition of {@code organization} may point its credential references. */
    SecretScope secretScope(String organization) {
        return secretsEnvPrefix == null || secretsDirectory == null ? SecretScope.unrestricted()
                : SecretScope.of(organization, secretsEnvPrefix, secretsDirectory);
    }
}
