package io.tributary.writer.outbound;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.definition.EntitySource;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.SourceDefinitionLoader;
import io.tributary.definition.Sync;
import io.tributary.definition.Webhooks;
import io.tributary.model.outbound.OutboundTopics;
import io.tributary.writer.consume.WriterTopicsProperties;
import io.tributary.writer.dialect.WriterDatabase;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
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
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Two-way delivery, on when {@code tributary.writer.outbound.sources} lists a definition: one record-listener
 * container over the outbound topics of every delivered entity (REST delivery, decision 0025, or signed outbound
 * webhooks, decision 0028) ({@code AckMode.RECORD}: a change's offset is
 * committed after it was delivered, deliberately skipped or dead-lettered), spring-kafka's
 * {@link DefaultErrorHandler} retrying transient failures without end and sending permanent ones to
 * {@code <topic>.dlt} with the reason in the {@code kafka_dlt-exception-message} header.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tributary.writer.outbound.sources[0].definition")
@EnableConfigurationProperties(OutboundProperties.class)
class OutboundConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundConfiguration.class);

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
    ConcurrentMessageListenerContainer<String, byte[]> outboundDeliveryContainer(KafkaProperties kafka,
            OutboundProperties properties, DeliveryTargets outboundTargets, WriterDatabase database,
            MeterRegistry meters) {
        Map<String, DeliveryTarget> targets = new LinkedHashMap<>();
        Map<String, SourceClient> clients = new LinkedHashMap<>();
        Map<Webhooks.Outbound, OutboundWebhook> webhooks = new LinkedHashMap<>();
        for (DeliveryTarget target : outboundTargets.all()) {
            targets.put(LocalChangeDelivery.targetKey(target.source().id(), target.table()), target);
            // the REST client serves REST delivery and the read before a conflict check
            if (target.delivery() != null || target.source().sync().conflict() != Sync.Conflict.LOCAL_WINS) {
                clients.computeIfAbsent(target.source().id(), id -> new SourceClient(WebClient.builder(),
                        target.source(), properties.requestTimeout(), System::getenv));
            }
            target.webhooks().values().forEach(webhook -> webhooks.computeIfAbsent(webhook, declared ->
                    new OutboundWebhook(declared, target.source().retry(), properties.requestTimeout(),
                            WebClient.builder(), System::getenv, InstantSource.system())));
        }
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a new group delivers every change kept
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        DefaultKafkaConsumerFactory<String, byte[]> consumers = new DefaultKafkaConsumerFactory<>(config,
                new StringDeserializer(), new ByteArrayDeserializer());

        ContainerProperties container = new ContainerProperties(topics(outboundTargets.all()).toArray(String[]::new));
        container.setAckMode(ContainerProperties.AckMode.RECORD);
        container.setObservationEnabled(true);
        container.setMessageListener(new LocalChangeDelivery(targets, clients, webhooks,
                new LocalRows(database.dataSource(), Clock.systemUTC()), meters));
        ConcurrentMessageListenerContainer<String, byte[]> listener =
                new ConcurrentMessageListenerContainer<>(consumers, container);
        listener.setConcurrency(1);
        listener.setCommonErrorHandler(errorHandler(kafka, properties.redelivery()));
        return listener;
    }

    private static DefaultErrorHandler errorHandler(KafkaProperties kafka, OutboundProperties.Redelivery redelivery) {
        Map<String, Object> producer = kafka.buildProducerProperties();
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(producer,
                new StringSerializer(), new ByteArraySerializer()));
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
