package io.tributary.poller.outbound;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.outbound.LocalChange;
import io.tributary.model.outbound.LocalChangeJson;
import io.tributary.model.outbound.OutboundTopics;
import io.tributary.poller.runtime.CheckpointStore;
import io.tributary.poller.runtime.PollerProperties;
import io.tributary.poller.runtime.TopicCreator;
import io.tributary.poller.status.SourceActivity;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Wires the capture when {@code tributary.poller.capture.enabled=true}: the local-change producer (idempotent,
 * {@code acks=all}), the outbound topics of the configured entities, the captured set (configured entities and,
 * when the config topic is followed, those of the two-way definitions: decision 0030), and the capture of the
 * chosen dialect.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CaptureProperties.class)
@ConditionalOnBooleanProperty("tributary.poller.capture.enabled")
class CaptureConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureConfiguration.class);

    @Bean
    DefaultKafkaProducerFactory<String, LocalChange> localChangeProducerFactory(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        // Not negotiable: a position is stored only after its changes are safe, in order, once.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new LocalChangeJson.Serializer());
    }

    @Bean
    KafkaTemplate<String, LocalChange> localChangeTemplate(
            DefaultKafkaProducerFactory<String, LocalChange> localChangeProducerFactory) {
        // As changeEventTemplate: spring-kafka's Micrometer timer of each send (spring.kafka.template, tags
        // name/result/exception), not its observation, a per-record cost and other tag names (decision 0037).
        KafkaTemplate<String, LocalChange> template = new KafkaTemplate<>(localChangeProducerFactory);
        template.setObservationEnabled(false);
        template.setMicrometerEnabled(true);
        return template;
    }

    @Bean
    KafkaAdmin.NewTopics outboundTopics(CaptureProperties capture, PollerProperties poller) {
        Optional<Short> replicas = poller.topics().replicationFactor() > 0
                ? Optional.of(poller.topics().replicationFactor()) : Optional.empty();
        return new KafkaAdmin.NewTopics(capture.entities().stream()
                .map(entity -> new NewTopic(OutboundTopics.forEntity(entity), Optional.of(poller.topics().partitions()),
                        replicas))
                .toArray(NewTopic[]::new));
    }

    @Bean
    CapturedEntities capturedEntities(CaptureProperties capture, Environment environment, SourceActivity activity) {
        boolean followsDefinitions = environment.getProperty("tributary.poller.config-topic.enabled", Boolean.class, false);
        capture.requireSomethingToCapture(followsDefinitions);
        return new CapturedEntities(capture.entities(), followsDefinitions, activity);
    }

    @Bean
    SmartLifecycle outboundCapture(CaptureProperties capture, PollerProperties poller,
            KafkaTemplate<String, LocalChange> localChangeTemplate, CheckpointStore checkpointStore,
            MeterRegistry registry, CapturedEntities capturedEntities, TopicCreator topicCreator) {
        LOG.info("Outbound capture: {}{}", capture, capturedEntities.isLoaded() ? ""
                : ", and the entities of the two-way definitions on the config topic");
        String reserved = ChangelogCapture.CHECKPOINT.sourceId();
        if (poller.sources().stream().anyMatch(source -> source.id().equals(reserved))) {
            throw new IllegalArgumentException("tributary.poller.sources: source id '" + reserved + "' is reserved for"
                    + " the outbound capture's checkpoints; choose another id");
        }
        OutboundPublisher publisher = new OutboundPublisher(localChangeTemplate, poller.publishTimeout(),
                new CaptureMetrics(registry, InstantSource.system()));
        return capture.dialect().equals(CaptureProperties.POSTGRESQL)
                ? new PostgresCapture(capture, publisher, checkpointStore, capturedEntities, topicCreator)
                : new ChangelogCapture(capture, publisher, checkpointStore, capturedEntities, topicCreator);
    }
}
