package io.tributary.writer.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.writer.consume.ChangeSubscription;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.ConfiguredEntitiesProperties;
import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.outbound.OutboundDelivery;
import io.tributary.writer.schema.EntityTables;
import io.tributary.writer.sources.SourceActivity;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The definitions of the config topic, followed when {@code tributary.writer.config-topic.enabled} is true. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WriterConfigTopicProperties.class)
class LiveDefinitionsConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(LiveDefinitionsConfiguration.class);

    @Bean
    @ConditionalOnProperty(prefix = "tributary.writer.config-topic", name = "enabled", havingValue = "true")
    LiveDefinitions writerLiveDefinitions(WriterConfigTopicProperties properties, KafkaProperties kafka,
            CurrentCatalog catalog, WriterDatabase database, ConfiguredEntitiesProperties configured,
            ChangeSubscription writerChangeSubscription, ObjectProvider<OutboundDelivery> delivery,
            SourceActivity writerSourceActivity, MeterRegistry registry) {
        LOG.info("Writer definitions: {}", properties);
        Set<String> builtIns = Set.copyOf(EntityCatalog.forum().names());
        LiveEntities entities = new LiveEntities(catalog, builtIns,
                new EntityTables(database.dataSource(), database.dialect()), database.dialect(),
                configured.twoWayEntities());
        LiveDefinitions definitions = new LiveDefinitions(properties, kafka.buildConsumerProperties(), entities,
                writerChangeSubscription, delivery.getIfAvailable(), writerSourceActivity);
        Gauge.builder("tributary.writer.live.refused", writerSourceActivity, SourceActivity::refusedCount)
                .description("Definitions of the config topic the writer refuses whole (invalid, a source id or an "
                        + "entity another holds; the log says why)")
                .register(registry);
        return definitions;
    }
}
