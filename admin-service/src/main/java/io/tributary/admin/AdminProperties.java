package io.tributary.admin;

import io.tributary.definition.SecretScope;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code tributary.admin.*}.
 *
 * @param bootstrapToken the operator's token (creates and deletes organizations, may act on any); given
 *                       through the environment ({@code TRIBUTARY_ADMIN_BOOTSTRAPTOKEN}), never a file in git
 * @param maxBodySize    larger request bodies are refused with 413
 * @param sourcesTopic   compacted; key {@code <organization>/<sourceId>}
 * @param organizationsTopic compacted; key the organization id
 * @param tokenGrace     how long an organization's previous API token stays valid after a rotation (0: not at all)
 * @param secretsEnvPrefix an organization's definitions may name only environment variables
 *                       {@code <prefix><ORG>__<NAME>} (decision 0031); the same value as the pollers' and receivers'
 * @param secretsDirectory an organization's definitions may name only files under {@code <directory>/<org>/}; the
 *                       same value as the pollers' and receivers'
 */
@Validated
@ConfigurationProperties("tributary.admin")
record AdminProperties(
        @NotBlank @Size(min = 32, message = "must be at least 32 characters") String bootstrapToken,
        @NotNull @DefaultValue("256KB") DataSize maxBodySize,
        @NotBlank @DefaultValue("tributary.config.sources") String sourcesTopic,
        @NotBlank @DefaultValue("tributary.config.organizations") String organizationsTopic,
        @NotNull @DefaultValue("1h") java.time.Duration tokenGrace,
        @NotBlank @DefaultValue("TRIBUTARY_SECRET_") String secretsEnvPrefix,
        @NotNull @DefaultValue("/run/secrets/tributary") Path secretsDirectory) {

    AdminProperties {
        if (secretsEnvPrefix != null && secretsDirectory != null) {
            SecretScope.checkRoots(secretsEnvPrefix, secretsDirectory);
        }
        if (tokenGrace.isNegative()) {
            throw new IllegalArgumentException("tributary.admin.token-grace must not be negative, was " + tokenGrace);
        }
    }

    @Override
    public String toString() {
        return "AdminProperties[bootstrapToken=***, maxBodySize=" + maxBodySize + ", sourcesTopic=" + sourcesTopic
                + ", organizationsTopic=" + organizationsTopic + ", tokenGrace=" + tokenGrace + ", secretsEnvPrefix="
                + secretsEnvPrefix + ", secretsDirectory=" + secretsDirectory + "]";
    }
}
