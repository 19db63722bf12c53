package io.tributary.poller.live;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.poller.outbound.CapturedEntities;
import io.tributary.poller.runtime.LiveRefreshers;
import io.tributary.poller.runtime.PollerProperties;
import io.tributary.poller.runtime.SourceKind;
import io.tributary.poller.runtime.SourceLauncher;
import io.tributary.poller.status.SourceActivity;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
            SourceLauncher launcher, SourceActivity activity, LiveRefreshers refreshers, PollerProperties poller,
            MeterRegistry registry, ObjectProvider<CapturedEntities> capture) {
        SourceKind<?> rest = kinds.stream().filter(kind -> kind.name().equals("rest")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the rest source kind is not in this poller"));
        Set<String> taken = new TreeSet<>();
        poller.sources().forEach(source -> taken.add(source.id()));
        taken.add("outbound-capture"); // the capture's checkpoint key (decision 0024)
        Gauge.builder("tributary.poller.live.refused", activity, SourceActivity::refusedCount)
                .description("Definitions of the config topic this poller refuses to run (GET /status lists why)")
                .register(registry);
        CapturedEntities captured = capture.getIfAvailable();
        LiveSources live = new LiveSources(properties, kafka.buildConsumerProperties(), rest, launcher, activity,
                refreshers, taken, new TwoWayDefinitions(captured, activity, properties.shards()));
        if (captured != null) {
            live.caughtUp().thenRun(captured::loaded); // the capture's first engine waits for every definition
        }
        return live;
    }
}
