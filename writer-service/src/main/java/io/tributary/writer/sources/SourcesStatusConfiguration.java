package io.tributary.writer.sources;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** {@code GET /status/sources}: the {@link SourceActivity} as JSON ({@link SourcesStatus}). */
@Configuration(proxyBeanMethods = false)
class SourcesStatusConfiguration {

    @Bean
    SourceActivity writerSourceActivity() {
        return new SourceActivity(InstantSource.system());
    }

    @Bean
    RouterFunction<ServerResponse> writerSourcesStatusRoute(SourceActivity activity) {
        return RouterFunctions.route(GET("/status/sources"), request -> ServerResponse.ok().bodyValue(activity.snapshot()));
    }
}
