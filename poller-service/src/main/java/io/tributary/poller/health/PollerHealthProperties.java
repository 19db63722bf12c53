package io.tributary.poller.health;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The health checks.
 *
 * @param kafkaTimeout how long the Kafka check waits for the cluster to describe itself before it reports
 *                     DOWN; between 100 ms and 30 s
 */
@ConfigurationProperties("tributary.poller.health")
@Validated
public record PollerHealthProperties(@DefaultValue("2s") @NotNull Duration kafkaTimeout) {

    public PollerHealthProperties {
        if (kafkaTimeout != null && (kafkaTimeout.toMillis() < 100 || kafkaTimeout.compareTo(Duration.ofSeconds(30)) > 0)) {
            throw new IllegalArgumentException("tributary.poller.health.kafka-timeout must be between 100ms and 30s, was "
                    + kafkaTimeout);
        }
    }
}
