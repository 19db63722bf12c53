package io.tributary.ingest.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.ingest.receive.ReceivingSources;
import io.tributary.ingest.signature.SignatureSchemes;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Receivers built from the config topic, when {@code tributary.ingest.config-topic.enabled} is true. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IngestConfigTopicProperties.class)
class LiveReceiversConfiguration {

    @Bean
    @ConditionalOnProperty(prefix = "tributary.ingest.config-topic", name = "enabled", havingValue = "true")
    LiveReceivers liveReceivers(IngestConfigTopicProperties properties, KafkaProperties kafka, ReceivingSources sources,
            SignatureSchemes schemes, MeterRegistry registry) {
        LiveReceivers receivers = new LiveReceivers(properties, kafka.buildConsumerProperties(), sources, schemes,
                System::getenv);
        Gauge.builder("tributary.ingest.live.refused", receivers, LiveReceivers::refusedCount)
                .description("Definitions of the config topic whose webhooks this receiver refuses to receive (the log says why)")
                .register(registry);
        return receivers;
    }
}
