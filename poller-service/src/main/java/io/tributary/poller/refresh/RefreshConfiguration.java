package io.tributary.poller.refresh;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.RefreshRequest;
import io.tributary.model.RefreshRequestDeserializer;
import io.tributary.poller.runtime.ConfiguredSources;
import io.tributary.poller.runtime.PollerProperties;
import io.tributary.poller.runtime.LiveRefreshers;
import io.tributary.poller.runtime.RecordRefresher;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The refresh-request consumer: a listener container on {@link RefreshRequest#TOPIC} (created at start,
 * like the change topics) whose listener asks the configured source's {@link RecordRefresher}. Requests
 * that cannot be read are skipped by the error handler; failing ones are retried
 * {@code tributary.poller.refresh.attempts} times, then skipped with a WARN.
 */
@Configuration(proxyBeanMethods = false)
class RefreshConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshConfiguration.class);

    @Bean
    KafkaAdmin.NewTopics refreshTopic(PollerProperties poller) {
        Optional<Short> replicas = poller.topics().replicationFactor() > 0
                ? Optional.of(poller.topics().replicationFactor()) : Optional.empty();
        return new KafkaAdmin.NewTopics(
                new NewTopic(RefreshRequest.TOPIC, Optional.of(poller.topics().partitions()), replicas));
    }

    @Bean
    ConcurrentMessageListenerContainer<String, RefreshRequest> refreshContainer(RefreshProperties properties,
            PollerProperties poller, ConfiguredSources sources, KafkaProperties kafka,
            LiveRefreshers liveRefreshers, KafkaTemplate<String, ChangeEvent> changeEventTemplate,
            MeterRegistry registry) {
        Map<String, RecordRefresher> refreshers = sources.refreshers();
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        DefaultKafkaConsumerFactory<String, RefreshRequest> consumers = new DefaultKafkaConsumerFactory<>(config,
                new StringDeserializer(), new ErrorHandlingDeserializer<>(new RefreshRequestDeserializer()));
        ContainerProperties containerProperties = new ContainerProperties(RefreshRequest.TOPIC);
        containerProperties.setMessageListener(
                new RefreshListener(refreshers, liveRefreshers, changeEventTemplate, poller.publishTimeout(), registry));
        containerProperties.setObservationEnabled(true);
        ConcurrentMessageListenerContainer<String, RefreshRequest> container =
                new ConcurrentMessageListenerContainer<>(consumers, containerProperties);
        container.setConcurrency(properties.concurrency());
        container.setAutoStartup(properties.enabled());
        container.setBeanName("refreshContainer");
        DefaultErrorHandler errors = new DefaultErrorHandler((record, e) -> LOG.warn(
                "Skipped refresh request at {}-{}@{} after {} attempts (polling will catch up): {}", record.topic(),
                record.partition(), record.offset(), properties.attempts(), e.getMessage()),
                new FixedBackOff(properties.backoff().toMillis(), properties.attempts() - 1L));
        container.setCommonErrorHandler(errors);
        LOG.info("Refresh requests: {} (group {}, {} threads, {} attempts {} apart), sources that can refresh {} (and the live sources that run)",
                properties.enabled() ? "consumed" : "off", properties.groupId(), properties.concurrency(),
                properties.attempts(), properties.backoff(), refreshers.keySet());
        return container;
    }
}
