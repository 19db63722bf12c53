package io.tributary.simulator.fault;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Failures injected on {@code /api/**} (never on admin or actuator endpoints). All off by default.
 *
 * @param rateLimitPerSecond requests allowed per wall-clock second; more are answered 429 with
 *     {@code Retry-After} (0 = no limit)
 * @param errorRate share of requests answered 500, 502 or 503 (0..1)
 * @param slowRate share of requests delayed by {@code slowDelay} before being served (0..1)
 * @param slowDelay the delay of a slow answer
 */
@Validated
@ConfigurationProperties("forum-simulator.faults")
record FaultProperties(
        @DefaultValue("0") @Min(0) int rateLimitPerSecond,
        @DefaultValue("0") @DecimalMin("0") @DecimalMax("1") double errorRate,
        @DefaultValue("0") @DecimalMin("0") @DecimalMax("1") double slowRate,
        @DefaultValue("2s") Duration slowDelay) {

    FaultProperties {
        if (slowDelay.isNegative()) {
            throw new IllegalArgumentException("forum-simulator.faults.slow-delay must not be negative, was " + slowDelay);
        }
        if (errorRate < 0 || errorRate > 1 || slowRate < 0 || slowRate > 1) {
            throw new IllegalArgumentException("forum-simulator.faults.error-rate and .slow-rate must be within 0..1,"
                    + " were " + errorRate + " and " + slowRate);
        }
    }
}
