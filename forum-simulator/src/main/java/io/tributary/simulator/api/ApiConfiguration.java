package io.tributary.simulator.api;

import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumStore;
import io.tributary.simulator.store.SimulatorState;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    @Bean
    RouterFunction<ServerResponse> forumApiRoutes(ForumStore store) {
        ForumApiHandler api = new ForumApiHandler(store);
        return RouterFunctions.route()
                .GET("/api/{collection}", api::list)
                .GET("/api/{collection}/{id}", api::one)
                .build();
    }

    @Bean
    RouterFunction<ServerResponse> adminRoutes(ForumMutator mutator, ForumStore store, SimulatorState state) {
        AdminHandler admin = new AdminHandler(mutator, store, state);
        return RouterFunctions.route()
                .POST("/admin/mutations", admin::mutations)
                .GET("/admin/stats", admin::stats)
                .build();
    }
}
