package io.tributary.writer.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.definition.SecretRef;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad settings stop the start, naming the property. */
class WriterConfigTopicPropertiesTest {

    private static final String PREFIX = "TRIBUTARY_SECRET_";
    private static final Path SECRETS = Path.of("/run/secrets/tributary");

    @Test
    void aBlankTopicOrANonPositiveRetryIsRefusedByName() {
        assertThatThrownBy(() -> new WriterConfigTopicProperties(true, " ", Duration.ofSeconds(2), PREFIX, SECRETS))
                .hasMessageContaining("tributary.writer.config-topic.topic must not be blank");
        assertThatThrownBy(() -> new WriterConfigTopicProperties(true, "tributary.config.sources", Duration.ZERO,
                PREFIX, SECRETS)).hasMessageContaining("tributary.writer.config-topic.retry must be positive, was PT0S");
    }

    @Test
    void theSecretsRootsMustBeUsable() {
        assertThatThrownBy(() -> new WriterConfigTopicProperties(true, "t", Duration.ofSeconds(2), PREFIX,
                Path.of("relative/secrets"))).hasMessageContaining("tributary.writer.config-topic.secrets-*")
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> new WriterConfigTopicProperties(true, "t", Duration.ofSeconds(2), "NOT A PREFIX",
                SECRETS)).hasMessageContaining("tributary.writer.config-topic.secrets-*").hasMessageContaining("prefix");
    }

    @Test
    void anOrganizationsScopeIsItsVariablesAndItsDirectory() {
        WriterConfigTopicProperties properties = new WriterConfigTopicProperties(true, "t", Duration.ofSeconds(2),
                PREFIX, SECRETS);
        assertThat(properties.secretScope("acme-records").problem(
                new SecretRef("${env:TRIBUTARY_SECRET_ACME_RECORDS__TOKEN}"))).isEmpty();
        assertThat(properties.secretScope("acme-records").problem(
                new SecretRef("${file:/run/secrets/tributary/acme-records/token}"))).isEmpty();
        assertThat(properties.secretScope("acme").problem(new SecretRef("${env:TRIBUTARY_SECRET_ACME_RECORDS__TOKEN}")))
                .hasValueSatisfying(message -> assertThat(message).contains("TRIBUTARY_SECRET_ACME__<NAME>"));
        assertThat(properties.secretScope("acme").problem(new SecretRef("${file:/run/secrets/tributary/other/token}")))
                .isPresent();
    }
}
