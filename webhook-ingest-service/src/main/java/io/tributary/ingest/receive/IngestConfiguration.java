package io.tributary.ingest.receive;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.ingest.signature.SignatureSchemes;
import io.tributary.model.ChangeTopics;
import io.tributary.model.RefreshRequest;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Wires the receiver: the configured sources with their verifiers (a bad scheme or secret fails the
 * start naming the property), the producer (idempotent, {@code acks=all}, timeouts from
 * {@code delivery-timeout}), the topics created at start, the route.
 */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IngestConfiguration.class);

    /**
     * Reactor Netty resources of this application only: Boot's default uses Reactor Netty's global
     * resources and disposes them when its context closes, which would stop every other service's server
     * and clients in the same JVM (the end-to-end tests run them all in one).
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }

    /** A bean, so that the context closes its producer (a template does not close a factory it was given). */
    @Bean
    DefaultKafkaProducerFactory<String, byte[]> ingestProducerFactory(KafkaProperties kafka, IngestProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        // Not negotiable: 2xx means the event is replicated to every in-sync replica, once.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        long timeout = properties.deliveryTimeout().toMillis();
        long linger = Long.parseLong(String.valueOf(config.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, "1")));
        config.put(ProducerConfig.LINGER_MS_CONFIG, linger);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(500, timeout - linger - 100));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    KafkaTemplate<String, byte[]> ingestTemplate(DefaultKafkaProducerFactory<String, byte[]> ingestProducerFactory) {
        // No spring-kafka observation here: it looks up the cluster id through KafkaAdmin on the first send,
        // which blocks for the admin's operation timeout while the broker is down, far beyond delivery-timeout.
        return new KafkaTemplate<>(ingestProducerFactory);
    }

    @Bean
    KafkaAdmin.NewTopics ingestTopics(IngestProperties properties) {
        if (properties.sources().isEmpty()) {
            return new KafkaAdmin.NewTopics();
        }
        Optional<Short> replicas = properties.topics().replicationFactor() > 0
                ? Optional.of(properties.topics().replicationFactor()) : Optional.empty();
        Optional<Integer> partitions = Optional.of(properties.topics().partitions());
        TreeSet<String> entities = new TreeSet<>();
        properties.sources().forEach(source -> entities.addAll(source.entities().values()));
        List<NewTopic> topics = new ArrayList<>();
        entities.forEach(entity -> {
            topics.add(new NewTopic(ChangeTopics.forEntity(entity), partitions, replicas));
            // unmappable records of a verified webhook are kept there, as the poller's and the writer's are
            topics.add(new NewTopic(ChangeTopics.deadLetterOf(ChangeTopics.forEntity(entity)), partitions, replicas));
        });
        topics.add(new NewTopic(RefreshRequest.TOPIC, partitions, replicas));
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    /** The configured sources with their verifiers; definitions add theirs at run time (decision 0027). */
    @Bean
    ReceivingSources receivingSources(IngestProperties properties, SignatureSchemes schemes) {
        Map<String, ConfiguredSource> sources = new LinkedHashMap<>();
        for (int i = 0; i < properties.sources().size(); i++) {
            IngestProperties.Source source = properties.sources().get(i);
            String prefix = "tributary.ingest.sources[" + i + "]";
            try {
                sources.put(source.id(), ConfiguredSource.configured(source.id(), source.scheme(),
                        schemes.byName(source.scheme()).verifier(source.secrets(), source.tolerance()), source.entities()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + " (" + source.id() + "): " + e.getMessage());
            }
        }
        LOG.info("Webhook ingest: {}", properties);
        if (sources.isEmpty()) {
            LOG.info("No webhook sources configured (tributary.ingest.sources): POST /webhooks/* is answered 404"
                    + " unless a source definition declares inbound webhooks (tributary.ingest.config-topic)");
        }
        return new ReceivingSources(sources);
    }

    @Bean
    WebhookHandler webhookHandler(IngestProperties properties, ReceivingSources sources,
            KafkaTemplate<String, byte[]> ingestTemplate, MeterRegistry registry) {
        DeliveryDedup dedup = new DeliveryDedup(properties.dedup());
        Gauge.builder("tributary.ingest.dedup.size", dedup, DeliveryDedup::size)
                .description("Delivery ids remembered for deduplication")
                .register(registry);
        return new WebhookHandler(sources, properties, new WebhookEventMapper(InstantSource.system()), dedup,
                new IngestPublisher(ingestTemplate, properties.deliveryTimeout()),
                new IngestMetrics(registry, properties.logEvery()), InstantSource.system());
    }

    @Bean
    RouterFunction<ServerResponse> webhookRoutes(WebhookHandler handler) {
        return RouterFunctions.route().POST("/webhooks/{sourceId}", handler::receive).build();
    }
}
