package io.tributary.writer.consume;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventDeserializer;
import io.tributary.model.ChangeTopics;
import io.tributary.model.MalformedChangeEventException;
import io.tributary.writer.apply.BatchApplier;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.InvalidChangeEventException;
import io.tributary.writer.progress.WriterMetrics;
import io.tributary.writer.sources.SourceActivity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The Kafka side of the writer: one batch-listener container (one consumer thread per instance; several
 * instances share the partitions when the dialect allows concurrent writers) over
 * every entity's change topic (rebuilt by {@link ChangeSubscription} when the catalog gains an entity), {@code AckMode.BATCH} so offsets are committed only after the listener
 * returned, i.e. after the database commit; spring-kafka's {@link DefaultErrorHandler} with backoff for
 * transient failures and the dead-letter topic for permanent ones; the topics themselves.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({WriterConsumerProperties.class, WriterTopicsProperties.class})
class ConsumerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerConfiguration.class);
    /** The listener containers' name (their listener id in observations and logs). */
    static final String LISTENER_ID = "writerListenerContainer";

    /** The change topics of the catalog at start (KafkaAdmin creates them); topics learnt later: ChangeSubscription. */
    @Bean
    KafkaAdmin.NewTopics writerTopics(WriterTopicsProperties properties, CurrentCatalog catalog) {
        LOG.info("Writer topics: {}", properties);
        List<NewTopic> topics = new ArrayList<>();
        if (properties.create()) {
            for (String topic : changeTopics(catalog.get())) {
                for (String name : List.of(topic, ChangeTopics.deadLetterOf(topic))) {
                    topics.add(TopicBuilder.name(name)
                            .partitions(properties.partitions())
                            .replicas(properties.replicationFactor())
                            .build());
                }
            }
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    @Bean
    DeadLetterPublisher writerDeadLetterPublisher(KafkaProperties kafka, WriterMetrics metrics, SourceActivity sources) {
        return new DeadLetterPublisher(kafka.buildProducerProperties(), metrics, sources);
    }

    @Bean
    ChangeSubscription writerChangeSubscription(KafkaProperties kafka, WriterConsumerProperties properties,
            WriterTopicsProperties topics, CurrentCatalog catalog, BatchApplier applier, WriterDatabase database,
            WriterMetrics metrics, DeadLetterPublisher deadLetters, KafkaAdmin admin, ApplicationContext context,
            MeterRegistry registry) {
        LOG.info("Writer consumer: {}", properties);
        Map<String, Object> config = kafka.buildConsumerProperties();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.groupId());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.maxPollRecords());
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) properties.fetchMaxWait().toMillis());
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) properties.maxPollInterval().toMillis());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Never skip history: a new group starts at the beginning of every change topic.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        DefaultKafkaConsumerFactory<String, ChangeEvent> consumerFactory = new DefaultKafkaConsumerFactory<>(config,
                new StringDeserializer(), new ErrorHandlingDeserializer<>(new ChangeEventDeserializer()));
        ChangeEventListener listener = new ChangeEventListener(catalog, applier, database.dialect(), metrics,
                new ReceivedRecords(registry, LISTENER_ID + "-0", properties.groupId()));
        return new ChangeSubscription(catalog, new TopicListConsumer<>("Change topics", changeTopics -> container(
                consumerFactory, changeTopics, listener, properties, database, deadLetters, context),
                ChangeTopics::deadLetterOf, admin, topics, changeTopics(catalog.get())));
    }

    /** One container over {@code changeTopics}; a new one each time the topics change (ChangeSubscription). */
    private static ConcurrentMessageListenerContainer<String, ChangeEvent> container(
            DefaultKafkaConsumerFactory<String, ChangeEvent> consumerFactory, List<String> changeTopics,
            ChangeEventListener listener, WriterConsumerProperties properties, WriterDatabase database,
            DeadLetterPublisher deadLetters, ApplicationContext context) {
        ContainerProperties containerProperties = new ContainerProperties(changeTopics.toArray(String[]::new));
        containerProperties.setAckMode(ContainerProperties.AckMode.BATCH);
        containerProperties.setPollTimeout(properties.pollTimeout().toMillis());
        // A stop (a new entity's topic, or shutdown) waits for the batch in flight; no batch may take longer.
        containerProperties.setShutdownTimeout(properties.maxPollInterval().toMillis());
        // No spring-kafka observation or timer: spring.kafka.listener, per record and topic as its per-record
        // observation recorded it, comes from the listener (ReceivedRecords), for a fraction of the CPU (decision 0037).
        // Without observations spring-kafka would time each batch under the same name with other tags: off too.
        containerProperties.setObservationEnabled(false);
        containerProperties.setMicrometerEnabled(false);
        containerProperties.setMessageListener(listener);
        containerProperties.setConsumerRebalanceListener(new PartitionAssignmentListener(changeTopics,
                database.dialect().supportsConcurrentWriters(), properties.groupId()));

        ConcurrentMessageListenerContainer<String, ChangeEvent> container =
                new ConcurrentMessageListenerContainer<>(consumerFactory, containerProperties);
        container.setConcurrency(1);
        container.setCommonErrorHandler(errorHandler(properties.retry(), deadLetters));
        // Not a bean (a new one per topic list): given what the context would give a container bean. The name is the
        // listener id of its thread names and of the metrics' spring_kafka_listener_id tag ("writerListenerContainer-0").
        container.setBeanName(LISTENER_ID);
        container.setApplicationContext(context);
        container.setApplicationEventPublisher(context);
        return container;
    }

    static DefaultErrorHandler errorHandler(WriterConsumerProperties.Retry retry, DeadLetterPublisher deadLetters) {
        ExponentialBackOff backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        backOff.setMaxElapsedTime(retry.maxElapsed().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, backOff);
        // DeserializationException is not retryable by default; these are permanent too.
        handler.addNotRetryableExceptions(InvalidChangeEventException.class, PermanentApplyException.class,
                MalformedChangeEventException.class);
        handler.setCommitRecovered(true);
        // The listener and DeadLetterPublisher log failures with their reason; the handler's own
        // "Seek to current after exception" (with a stack trace) is routine after a dead-letter.
        handler.setLogLevel(KafkaException.Level.DEBUG);
        return handler;
    }

    static List<String> changeTopics(EntityCatalog catalog) {
        return catalog.definitions().stream().map(EntityDefinition::name).map(ChangeTopics::forEntity).toList();
    }
}
