package io.tributary.poller.reconcile;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.poller.runtime.ChangePublisher;
import io.tributary.poller.runtime.ConfiguredSources;
import io.tributary.poller.runtime.PollerProperties;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReconcileProperties.class)
class ReconcileConfiguration {

    /** Only with {@code tributary.poller.reconcile.writer-url} set: without it, the endpoints say it is off. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "tributary.poller.reconcile", name = "writer-url")
    static class Enabled {

        @Bean
        Reconciler reconciler(ReconcileProperties properties, ConfiguredSources sources, ChangePublisher publisher,
                ReactorResourceFactory resources, MeterRegistry registry) {
            WebClient.Builder client = WebClient.builder()
                    .clientConnector(new ReactorClientHttpConnector(resources,
                            http -> http.responseTimeout(properties.writerTimeout())))
                    // a differing bucket of a large entity can hold many entries
                    .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(256 * 1024 * 1024));
            return new Reconciler(sources.inventories(), sources.refreshers(),
                    new WriterInventoryClient(client, properties.writerUrl(), properties.writerTimeout()), publisher,
                    properties, registry, InstantSource.system());
        }

        @Bean
        ReconcileRunner reconcileRunner(Reconciler reconciler, ReconcileProperties properties, ConfiguredSources sources,
                PollerProperties poller) {
            return new ReconcileRunner(reconciler, enumerable(sources, poller), properties);
        }
    }

    @Bean
    RouterFunction<ServerResponse> reconcileRoutes(ObjectProvider<ReconcileRunner> runner,
            ObjectProvider<Reconciler> reconciler, PollerProperties poller, ConfiguredSources sources) {
        Map<String, List<String>> configured = new LinkedHashMap<>();
        poller.sources().forEach(source -> configured.put(source.id(), sources.entities(source.id())));
        ReconcileEndpoint endpoint = new ReconcileEndpoint(runner.getIfAvailable(), reconciler.getIfAvailable(), configured);
        return RouterFunctions.route(GET("/verify"), endpoint::verify)
                .andRoute(POST("/reconcile"), endpoint::reconcile)
                .andRoute(GET("/reconcile/last"), endpoint::last);
    }

    private static Map<String, List<String>> enumerable(ConfiguredSources sources, PollerProperties poller) {
        Map<String, List<String>> targets = new LinkedHashMap<>();
        poller.sources().stream()
                .filter(source -> sources.inventories().containsKey(source.id()))
                .forEach(source -> targets.put(source.id(), sources.entities(source.id())));
        return targets;
    }
}
