package io.tributary.poller.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.tributary.runtime.health.KafkaHealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code kafka} health indicator (the bean name minus "HealthIndicator" names it), the one member of
 * the readiness group (poller.yml) besides Boot's own readiness state: the poller has nothing to do without
 * Kafka, so it is not ready until the cluster answers.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PollerHealthProperties.class)
class HealthConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HealthConfiguration.class);

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(KafkaProperties kafka, PollerHealthProperties properties) {
        LOG.info("Poller health: {}", properties);
        return new KafkaHealthIndicator(kafka.buildAdminProperties(), "tributary-poller-health", properties.kafkaTimeout());
    }
}
