package io.tributary.poller.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventSerializer;
import io.tributary.model.ChangeTopics;
import io.tributary.poller.status.SourceActivity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Wires the runtime: the change-event and checkpoint producers (from {@code spring.kafka.producer.*},
 * always idempotent with {@code acks=all}), the topics created at start, the checkpoint store and the
 * runtime itself.
 */
@Configuration(proxyBeanMethods = false)
class PollerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PollerConfiguration.class);

    /**
     * Reactor Netty resources of this application only. Boot's default uses Reactor Netty's global
     * resources and disposes them when its context closes, which would stop every other service's
     * server and clients in the same JVM (the end-to-end tests run them all in one).
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }

    /** Producer factories are beans so that the context closes their producers (a template does not). */
    @Bean
    DefaultKafkaProducerFactory<String, ChangeEvent> changeEventProducerFactory(KafkaProperties kafka) {
        LOG.info("Kafka LZ4: {}", NativeLz4.status()); // loaded by PollerApplication.builder()
        return new DefaultKafkaProducerFactory<>(producerConfig(kafka), new StringSerializer(), new ChangeEventSerializer());
    }

    @Bean
    DefaultKafkaProducerFactory<String, String> checkpointProducerFactory(KafkaProperties kafka) {
        return new DefaultKafkaProducerFactory<>(producerConfig(kafka), new StringSerializer(), new StringSerializer());
    }

    @Bean
    KafkaTemplate<String, ChangeEvent> changeEventTemplate(
            DefaultKafkaProducerFactory<String, ChangeEvent> changeEventProducerFactory) {
        // spring-kafka's Micrometer timer of each send (spring.kafka.template, tags name/result/exception), not its
        // observation: that cost ~4 µs of CPU per record, 15% of the poller's (decision 0037); counts per entity are
        // tributary.poller.records.published's.
        KafkaTemplate<String, ChangeEvent> template = new KafkaTemplate<>(changeEventProducerFactory);
        template.setObservationEnabled(false);
        template.setMicrometerEnabled(true);
        return template;
    }

    @Bean
    KafkaTemplate<String, String> checkpointTemplate(DefaultKafkaProducerFactory<String, String> checkpointProducerFactory) {
        return new KafkaTemplate<>(checkpointProducerFactory);
    }

    @Bean
    KafkaAdmin.NewTopics pollerTopics(PollerProperties properties, ConfiguredSources sources) {
        Optional<Short> replicas = properties.topics().replicationFactor() > 0
                ? Optional.of(properties.topics().replicationFactor()) : Optional.empty();
        TreeSet<String> entities = new TreeSet<>();
        sources.entities().values().forEach(entities::addAll);
        List<NewTopic> topics = new ArrayList<>();
        entities.forEach(entity -> topics.add(
                new NewTopic(ChangeTopics.forEntity(entity), Optional.of(properties.topics().partitions()), replicas)));
        // where a source's records that cannot be mapped go (the writer's dead letters share them)
        entities.forEach(entity -> topics.add(new NewTopic(ChangeTopics.deadLetterOf(ChangeTopics.forEntity(entity)),
                Optional.of(properties.topics().partitions()), replicas)));
        topics.add(new NewTopic(CheckpointStore.TOPIC, Optional.of(1), replicas)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    @Bean
    CheckpointStore checkpointStore(KafkaTemplate<String, String> checkpointTemplate, KafkaProperties kafka,
            PollerProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new CheckpointStore(checkpointTemplate,
                () -> new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer()),
                properties.publishTimeout());
    }

    @Bean
    ChangePublisher changePublisher(KafkaTemplate<String, ChangeEvent> changeEventTemplate, PollerProperties properties) {
        return new ChangePublisher(changeEventTemplate, properties.publishTimeout());
    }

    @Bean
    ConfiguredSources configuredSources(PollerProperties properties, List<SourceKind<?>> kinds, Environment environment) {
        return new ConfiguredSources(properties, kinds, environment);
    }

    @Bean
    LiveRefreshers liveRefreshers() {
        return new LiveRefreshers();
    }

    @Bean
    TopicCreator topicCreator(KafkaAdmin kafkaAdmin, PollerProperties properties) {
        return new TopicCreator(kafkaAdmin.getConfigurationProperties(), properties.topics(), properties.publishTimeout());
    }

    @Bean
    SourceLauncher sourceLauncher(ChangePublisher publisher, CheckpointStore checkpoints, MeterRegistry registry,
            SourceActivity activity, TopicCreator topicCreator, PollerProperties properties) {
        return new SourceLauncher(publisher, checkpoints, registry, activity, topicCreator,
                properties.topics().createRetry());
    }

    @Bean
    PollerRuntime pollerRuntime(PollerProperties properties, List<SourceKind<?>> kinds, Environment environment,
            ChangePublisher publisher, CheckpointStore checkpoints, MeterRegistry registry, SourceActivity activity) {
        return new PollerRuntime(properties, kinds, environment, publisher, checkpoints, registry, activity);
    }

    private static Map<String, Object> producerConfig(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        // Not negotiable: a cursor is committed only after its events are safe, in order, once.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }
}
