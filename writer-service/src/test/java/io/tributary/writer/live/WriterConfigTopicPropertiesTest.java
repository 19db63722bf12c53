package io.tributary.writer.live;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad settings stop the start, naming the property. */
class WriterConfigTopicPropertiesTest {

    @Test
    void aBlankTopicOrANonPositiveRetryIsRefusedByName() {
        assertThatThrownBy(() -> new WriterConfigTopicProperties(true, " ", Duration.ofSeconds(2)))
                .hasMessageContaining("tributary.writer.config-topic.topic must not be blank");
        assertThatThrownBy(() -> new WriterConfigTopicProperties(true, "tributary.config.sources", Duration.ZERO))
                .hasMessageContaining("tributary.writer.config-topic.retry must be positive, was PT0S");
    }
}
