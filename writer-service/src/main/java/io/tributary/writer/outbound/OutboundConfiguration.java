package io.tributary.writer.outbound;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.definition.EntitySource;
import io.tributary.definition.SecretScope;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.SourceDefinitionLoader;
import io.tributary.definition.Sync;
import io.tributary.model.outbound.OutboundTopics;
import io.tributary.writer.apply.SyncedAtStamps;
import io.tributary.writer.consume.TopicListConsumer;
import io.tributary.writer.consume.WriterTopicsProperties;
import io.tributary.writer.dialect.WriterDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Two-way delivery, on when {@code tributary.writer.outbound.sources} lists a definition or the writer follows the
 * config topic (whose two-way definitions then deliver too, decision 0029): one record-listener
 * container over the outbound topics of every delivered entity (REST delivery, decision 0025, or signed outbound
 * webhooks, decision 0028) ({@code AckMode.RECORD}: a change's offset is
 * committed after it was delivered, deliberately skipped or dead-lettered), spring-kafka's
 * {@link DefaultErrorHandler} retrying transient failures without end and sending permanent ones to
 * {@code <topic>.dlt} with the reason in the {@code kafka_dlt-exception-message} header.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OutboundConfiguration.Enabled.class)
@EnableConfigurationProperties(OutboundProperties.class)
class OutboundConfiguration {

    /** Delivery runs for the configured sources, or for the two-way definitions of the config topic (0029). */
    static final class Enabled extends AnyNestedCondition {

        Enabled() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(name = "tributary.writer.outbound.sources[0].definition")
        static final class Configured {
        }

        @ConditionalOnProperty(name = "tributary.writer.config-topic.enabled", havingValue = "true")
        static final class FromConfigTopic {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(OutboundConfiguration.class);
    /** Kafka's own default of {@code max.poll.interval.ms}. */
    private static final int DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

    /** Every delivered entity of every configured source (a bean of its own type, not a bare List). */
    record DeliveryTargets(List<DeliveryTarget> all) {
    }

    @Bean
    DeliveryTargets outboundTargets(OutboundProperties properties) {
        SourceDefinitionLoader loader = new SourceDefinitionLoader();
        List<DeliveryTarget> targets = new ArrayList<>();
        for (OutboundProperties.Source configured : properties.sources()) {
            SourceDefinition source = loader.load(configured.definition());
            if (source.sync().mode() != Sync.Mode.TWO_WAY) {
                throw new IllegalStateException("tributary.writer.outbound.sources lists " + configured.definition()
                        + ", but source '" + source.id() + "' is not two-way (sync.mode)");
            }
            List<EntitySource> delivered = source.entities().stream()
                    .filter(entity -> DeliveryTarget.isDelivered(source, entity)).toList();
            if (delivered.isEmpty()) {
                throw new IllegalStateException("Source '" + source.id() + "' (" + configured.definition()
                        + ") has no entity with a REST delivery (entities[*].delivery) or an outbound webhook");
            }
            delivered.forEach(entity -> targets.add(DeliveryTarget.of(source, entity)));
            LOG.info("Two-way delivery of source '{}': entities {} (REST to {}; webhooks to {}), conflict policy {}",
                    source.id(), delivered.stream().map(EntitySource::name).toList(), source.baseUrl(),
                    source.webhooks().outbound().stream().map(webhook -> webhook.url()).distinct().toList(),
                    source.sync().conflict());
        }
        return new DeliveryTargets(List.copyOf(targets));
    }

    @Bean
    KafkaAdmin.NewTopics outboundDeliveryTopics(DeliveryTargets outboundTargets, WriterTopicsProperties topics) {
        List<NewTopic> created = new ArrayList<>();
        if (topics.create()) {
            for (String topic : topics(outboundTargets.all())) {
                for (String name : List.of(topic, OutboundTopics.deadLetterOf(topic))) {
                    created.add(TopicBuilder.name(name).partitions(topics.partitions())
                            .replicas(topics.replicationFactor()).build());
                }
            }
        }
        return new KafkaAdmin.NewTopics(created.toArray(NewTopic[]::new));
    }

    @Bean
    OutboundDelivery outboundDelivery(KafkaProperties kafka, OutboundProperties properties,
            DeliveryTargets outboundTargets, WriterDatabase database, MeterRegistry meters, KafkaAdmin admin,
            WriterTopicsProperties topics, DeadLetterProducer outboundDeadLetterProducer, SyncedAtStamps stamps,
            ApplicationContext context) {
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a new group delivers every change kept
        // one change per poll: the time between two polls is then bounded by one change (DeliveryBudget)
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        DefaultKafkaConsumerFactory<String, byte[]> consumers = new DefaultKafkaConsumerFactory<>(config,
                new StringDeserializer(), new ByteArrayDeserializer());
        LocalRows rows = new LocalRows(database, stamps);
        // the operator's own files: any reference (decision 0031); the config topic's are held to their organization's
        DeliveryRoutes configured = DeliveryRoutes.of(outboundTargets.all(), false, properties.requestTimeout(),
                ref -> SecretScope.unrestricted().resolve(ref, System::getenv));
        Duration configuredInterval = Duration.ofMillis(Long.parseLong(String.valueOf(config.getOrDefault(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, DEFAULT_MAX_POLL_INTERVAL_MS))));
        return new OutboundDelivery(routes -> {
            LocalChangeDelivery listener = new LocalChangeDelivery(routes, rows, meters);
            return new TopicListConsumer<>("Outbound topics", outboundTopics -> container(consumers, outboundTopics,
                    listener, outboundDeadLetterProducer.factory(), properties,
                    DeliveryBudget.of(routes.get(), properties.requestTimeout()), configuredInterval, context),
                    OutboundTopics::deadLetterOf, admin, topics, configured.topics());
        }, configured, properties.requestTimeout(), System::getenv);
    }

    /**
     * One container over {@code outboundTopics}; a new one each time they change (TopicListConsumer), or when the
     * routes' changes may take longer than {@code budget}, which it was built for ({@link OutboundDelivery}).
     */
    private static ConcurrentMessageListenerContainer<String, byte[]> container(
            DefaultKafkaConsumerFactory<String, byte[]> consumers, List<String> outboundTopics,
            LocalChangeDelivery listener, DefaultKafkaProducerFactory<String, byte[]> deadLetterProducer,
            OutboundProperties properties, DeliveryBudget budget, Duration configuredInterval,
            ApplicationContext context) {
        ContainerProperties container = new ContainerProperties(outboundTopics.toArray(String[]::new));
        container.setAckMode(ContainerProperties.AckMode.RECORD);
        container.setObservationEnabled(true);
        container.setMessageListener(listener);
        Duration maxPollInterval = budget.maxPollInterval(configuredInterval, properties.redelivery().maxInterval());
        Properties overrides = new Properties();
        overrides.setProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(maxPollInterval.toMillis()));
        container.setKafkaConsumerProperties(overrides);
        container.setShutdownTimeout(budget.shutdownTimeout().toMillis()); // a stop waits for the change in flight
        LOG.info("Outbound consumer: one change takes at most {} (tributary.writer.outbound.request-timeout {}, the"
                + " sources' retry policies); max.poll.interval.ms {}, shutdown timeout {}", budget.perChange(),
                properties.requestTimeout(), maxPollInterval.toMillis(), budget.shutdownTimeout());
        ConcurrentMessageListenerContainer<String, byte[]> listenerContainer =
                new ConcurrentMessageListenerContainer<>(consumers, container);
        listenerContainer.setConcurrency(1);
        listenerContainer.setCommonErrorHandler(errorHandler(deadLetterProducer, properties.redelivery()));
        listenerContainer.setBeanName("outboundDeliveryContainer"); // not a bean: a new one per topic list
        listenerContainer.setApplicationContext(context);
        listenerContainer.setApplicationEventPublisher(context);
        return listenerContainer;
    }

    /**
     * The producer of the outbound dead-letter topics, one for every container there will be, closed with the
     * context (a bean of its own type: a {@code ProducerFactory} bean would replace Spring Boot's).
     */
    record DeadLetterProducer(DefaultKafkaProducerFactory<String, byte[]> factory) implements DisposableBean {
        @Override
        public void destroy() {
            factory.destroy();
        }
    }

    @Bean
    DeadLetterProducer outboundDeadLetterProducer(KafkaProperties kafka) {
        Map<String, Object> producer = kafka.buildProducerProperties();
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        return new DeadLetterProducer(new DefaultKafkaProducerFactory<>(producer, new StringSerializer(),
                new ByteArraySerializer()));
    }

    private static DefaultErrorHandler errorHandler(DefaultKafkaProducerFactory<String, byte[]> producer,
            OutboundProperties.Redelivery redelivery) {
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(producer);
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(template,
                (record, failure) -> new TopicPartition(OutboundTopics.deadLetterOf(record.topic()), -1));
        ExponentialBackOff backOff = new ExponentialBackOff(redelivery.initialInterval().toMillis(), 2.0);
        backOff.setMaxInterval(redelivery.maxInterval().toMillis()); // no max elapsed time: never given up
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, backOff);
        handler.addNotRetryableExceptions(PermanentDeliveryException.class);
        handler.setCommitRecovered(true);
        handler.setLogLevel(KafkaException.Level.DEBUG); // the listener logs each failure with its reason
        return handler;
    }

    private static List<String> topics(List<DeliveryTarget> targets) {
        return targets.stream().map(DeliveryTarget::table).distinct().map(OutboundTopics::forEntity).toList();
    }
}
