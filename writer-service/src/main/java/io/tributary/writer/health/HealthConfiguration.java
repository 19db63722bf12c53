package io.tributary.writer.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.tributary.runtime.health.KafkaHealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code kafka} health indicator (the bean name minus "HealthIndicator" names it). With Boot's
 * {@code db} indicator on the main database it makes up the readiness group (writer.yml), so the writer
 * is not ready until both answer.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WriterHealthProperties.class)
class HealthConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HealthConfiguration.class);

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(KafkaProperties kafka, WriterHealthProperties properties) {
        LOG.info("Writer health: {}", properties);
        return new KafkaHealthIndicator(kafka.buildAdminProperties(), "tributary-writer-health", properties.kafkaTimeout());
    }
}
