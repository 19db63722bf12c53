package io.tributary.admin;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
 */
@Validated
@ConfigurationProperties("tributary.admin")
record AdminProperties(
        @NotBlank @Size(min = 32, message = "must be at least 32 characters") String bootstrapToken,
        @NotNull @DefaultValue("256KB") DataSize maxBodySize,
        @NotBlank @DefaultValue("tributary.config.sources") String sourcesTopic,
        @NotBlank @DefaultValue("tributary.config.organizations") String organizationsTopic,
        @NotNull @DefaultValue("1h") java.time.Duration tokenGrace) {

    AdminProperties {
        if (tokenGrace.isNegative()) {
            throw new IllegalArgumentException("tributary.admin.token-grace must not be negative, was " + tokenGrace);
        }
    }

    @Override
    public String toString() {
        return "AdminProperties[bootstrapToken=***, maxBodySize=" + maxBodySize + ", sourcesTopic=" + sourcesTopic
                + ", organizationsTopic=" + organizationsTopic + ", tokenGrace=" + tokenGrace + "]";
    }
}
