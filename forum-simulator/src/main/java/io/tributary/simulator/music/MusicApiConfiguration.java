package io.tributary.simulator.music;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class MusicApiConfiguration {

    @Bean
    RouterFunction<ServerResponse> musicApiRoutes() {
        MusicApiHandler music = new MusicApiHandler(new MusicInventory(Clock.systemUTC()));
        return RouterFunctions.route()
                .GET("/music", music::list)
                .GET("/music/{id}", music::one)
                .POST("/music", music::create)
                .PUT("/music/{id}", music::replace)
                .DELETE("/music/{id}", music::delete)
                .POST("/admin/music/outage", music::startOutage)
                .DELETE("/admin/music/outage", music::endOutage)
                .GET("/admin/music/stats", music::stats)
                .build();
    }
}
