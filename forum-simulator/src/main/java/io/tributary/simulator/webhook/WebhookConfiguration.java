package io.tributary.simulator.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import io.tributary.simulator.content.ForumChangeFeed;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    /**
     * Reactor Netty resources of this application only (its server and its webhook client): Boot's default
     * uses Reactor Netty's global resources and disposes them when its context closes, which would stop
     * every other service's server and clients in the same JVM (the end-to-end tests run them all in one).
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }

    @Bean
    WebhookSender webhookSender(WebhookProperties properties, ForumChangeFeed feed, ReactorResourceFactory resources,
                                MeterRegistry meters) {
        WebClient client = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(resources, http -> http
                        .responseTimeout(properties.timeout())
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(properties.timeout().toMillis(), 10_000))))
                .build();
        return new WebhookSender(properties, feed, client, meters);
    }
}
