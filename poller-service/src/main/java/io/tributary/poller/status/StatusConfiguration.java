package io.tributary.poller.status;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** {@code GET /status}: the {@link SourceActivity} as JSON ({@link PollerStatus}). */
@Configuration(proxyBeanMethods = false)
class StatusConfiguration {

    @Bean
    SourceActivity sourceActivity() {
        return new SourceActivity(InstantSource.system());
    }

    @Bean
    RouterFunction<ServerResponse> pollerStatusRoute(SourceActivity activity) {
        return RouterFunctions.route(GET("/status"), request -> ServerResponse.ok().bodyValue(activity.snapshot()));
    }
}
