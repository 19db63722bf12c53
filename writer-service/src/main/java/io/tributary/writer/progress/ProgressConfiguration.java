package io.tributary.writer.progress;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.EntityCatalog;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WriterProgressProperties.class)
class ProgressConfiguration {

    @Bean
    WriterMetrics writerMetrics(MeterRegistry registry, EntityCatalog catalog) {
        return new WriterMetrics(registry, catalog);
    }

    @Bean
    ConsumerLag writerConsumerLag(MessageListenerContainer writerListenerContainer) {
        return new ConsumerLag(writerListenerContainer);
    }

    @Bean
    ProgressReporter writerProgressReporter(WriterMetrics metrics, EntityCatalog catalog, WriterDatabase database,
            ConsumerLag writerConsumerLag, WriterProgressProperties properties) {
        return new ProgressReporter(metrics, catalog, database.dataSource(), writerConsumerLag, properties);
    }

    @Bean
    RouterFunction<ServerResponse> writerStatusRoute(EntityCatalog catalog, WriterDatabase database,
            ConsumerLag writerConsumerLag, WriterMetrics metrics) {
        StatusEndpoint endpoint = new StatusEndpoint(catalog, database.dataSource(), writerConsumerLag, metrics);
        return RouterFunctions.route(GET("/status"), endpoint::handle);
    }
}
