package io.tributary.writer.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.writer.progress.WriterProgressProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class WriterConsumerPropertiesTest {

    @Test
    void defaultsBindFromNothing() {
        WriterConsumerProperties properties = bind(Map.of());

        assertThat(properties.maxPollRecords()).isEqualTo(5000);
        assertThat(properties.groupId()).isEqualTo("tributary-writer");
        assertThat(properties.retry().maxElapsed()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aRetryIntervalLongerThanThePollIntervalIsRejectedByName() {
        assertThatThrownBy(() -> bind(Map.of("tributary.writer.consumer.retry.max-interval", "10m")))
                .rootCause()
                .hasMessageContaining("tributary.writer.consumer.retry.max-interval")
                .hasMessageContaining("tributary.writer.consumer.max-poll-interval");
        assertThatThrownBy(() -> bind(Map.of("tributary.writer.consumer.retry.initial-interval", "20s")))
                .rootCause()
                .hasMessageContaining("tributary.writer.consumer.retry.initial-interval");
        assertThatThrownBy(() -> new WriterProgressProperties(Duration.ofMillis(5)))
                .hasMessageContaining("tributary.writer.progress.interval");
    }

    private static WriterConsumerProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("tributary.writer.consumer", WriterConsumerProperties.class);
    }
}
