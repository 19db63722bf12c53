package io.tributary.writer.progress;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeTopics;
import io.tributary.runtime.schedule.PeriodicTask;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.consume.ChangeSubscription;
import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.entity.EntityCatalog;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({WriterProgressProperties.class, WriterStatusProperties.class})
class ProgressConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressConfiguration.class);

    /** The status page; under a writer-specific path so no other module's static resources collide with it. */
    static final String STATUS_PAGE = "writer/status.html";

    /** Per-entity meters for the entities at start, and for every entity the writer learns later. */
    @Bean
    WriterMetrics writerMetrics(MeterRegistry registry, CurrentCatalog catalog) {
        WriterMetrics metrics = new WriterMetrics(registry, catalog.get());
        catalog.onReplace(metrics::track);
        return metrics;
    }

    /** Also a {@code MeterBinder}: Boot binds its lag gauges to the registry. */
    @Bean
    ConsumerLag writerConsumerLag(ChangeSubscription writerChangeSubscription, CurrentCatalog catalog) {
        ConsumerLag lag = new ConsumerLag(writerChangeSubscription::metrics, changeTopics(catalog.get()));
        catalog.onReplace(next -> lag.track(changeTopics(next)));
        return lag;
    }

    private static List<String> changeTopics(EntityCatalog catalog) {
        return catalog.names().stream().map(ChangeTopics::forEntity).toList();
    }

    @Bean
    ProgressReporter writerProgressReporter(WriterMetrics metrics, CurrentCatalog catalog, WriterDatabase database,
            ConsumerLag writerConsumerLag, WriterProgressProperties properties) {
        return new ProgressReporter(metrics, catalog, database.dataSource(), writerConsumerLag, properties);
    }

    @Bean
    PeriodicTask writerProgressTask(ProgressReporter writerProgressReporter, WriterProgressProperties properties) {
        LOG.info("Writer progress: {}", properties);
        return new PeriodicTask("writer-progress", properties.interval(), properties.interval(),
                writerProgressReporter::report);
    }

    /** {@code GET /status} (JSON) and the page that shows it, {@code GET /} and {@code GET /status.html}. */
    @Bean
    RouterFunction<ServerResponse> writerStatusRoute(CurrentCatalog catalog, WriterDatabase database,
            ConsumerLag writerConsumerLag, WriterMetrics metrics, WriterStatusProperties properties,
            ReactorResourceFactory resources) {
        LOG.info("Writer status: {}", properties);
        URI pollerUrl = properties.pollerUrl();
        PollerStatusClient poller = pollerUrl == null ? null
                : new PollerStatusClient(WebClient.builder()
                        .clientConnector(new ReactorClientHttpConnector(resources,
                                http -> http.responseTimeout(properties.pollerTimeout())))
                        .build(), pollerUrl, properties.pollerTimeout());
        StatusEndpoint endpoint = new StatusEndpoint(catalog, database.dataSource(), writerConsumerLag, metrics, poller);
        Resource page = new ClassPathResource(STATUS_PAGE, ProgressConfiguration.class.getClassLoader());
        return RouterFunctions.route(GET("/status"), endpoint::handle)
                .andRoute(GET("/").or(GET("/status.html")),
                        request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(page));
    }
}
