package io.tributary.simulator.music;

import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class MusicApiConfiguration {

    /** The default signing secret of {@code POST /music/webhooks} (a test double's; override it outside tests). */
    static final String DEFAULT_WEBHOOK_SECRET = "whsec_bXVzaWMtaW52ZW50b3J5LXdlYmhvb2stc2VjcmV0";

    @Bean
    RouterFunction<ServerResponse> musicApiRoutes(
            @Value("${forum-simulator.music.webhook-secret:" + DEFAULT_WEBHOOK_SECRET + "}") String webhookSecret) {
        MusicInventory inventory = new MusicInventory(Clock.systemUTC());
        MusicRequests requests = new MusicRequests();
        MusicApiHandler music = new MusicApiHandler(inventory, requests);
        MusicWebhookReceiver webhooks = new MusicWebhookReceiver(inventory, webhookSecret, Clock.systemUTC());
        return RouterFunctions.route()
                .GET("/music", requests.counted("GET /music", music::list))
                .POST("/music/webhooks", requests.counted("POST /music/webhooks",
                        request -> music.whenAvailable(request, () -> webhooks.receive(request))))
                .GET("/music/{id}", requests.counted("GET /music/{id}", music::one))
                .POST("/music", requests.counted("POST /music", music::create))
                .PUT("/music/{id}", requests.counted("PUT /music/{id}", music::replace))
                .DELETE("/music/{id}", requests.counted("DELETE /music/{id}", music::delete))
                .POST("/admin/music/outage", music::startOutage)
                .DELETE("/admin/music/outage", music::endOutage)
                .GET("/admin/music/stats", music::stats)
                .POST("/admin/music/items", music::createAtSource)
                .PUT("/admin/music/items/{id}", music::replaceAtSource)
                .DELETE("/admin/music/items/{id}", music::deleteAtSource)
                .build();
    }
}
