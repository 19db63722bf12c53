package io.tributary.poller.live;

import io.tributary.poller.outbound.CapturedEntities;
import io.tributary.poller.runtime.LiveRefreshers;
import io.tributary.poller.runtime.SourceKind;
import io.tributary.poller.runtime.SourceLauncher;
import io.tributary.poller.status.SourceActivity;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Live sources from the config topic, when {@code tributary.poller.config-topic.enabled} is true. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConfigTopicProperties.class)
class LiveSourcesConfiguration {

    @Bean
    @ConditionalOnProperty(prefix = "tributary.poller.config-topic", name = "enabled", havingValue = "true")
    LiveSources liveSources(ConfigTopicProperties properties, KafkaProperties kafka, List<SourceKind<?>> kinds,
            SourceLauncher launcher, SourceActivity activity, LiveRefreshers refreshers,
            ObjectProvider<CapturedEntities> capture) {
        SourceKind<?> rest = kinds.stream().filter(kind -> kind.name().equals("rest")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the rest source kind is not in this poller"));
        CapturedEntities captured = capture.getIfAvailable();
        return new LiveSources(properties, kafka.buildConsumerProperties(), rest, launcher, activity, refreshers,
                new TwoWayDefinitions(captured, activity, properties.shards()),
                captured == null ? () -> { } : captured::loaded);
    }
}
