package io.tributary.writer.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WriterHealthPropertiesTest {

    @Test
    void theKafkaTimeoutIsBounded() {
        assertThat(new WriterHealthProperties(Duration.ofMillis(500)).kafkaTimeout()).hasMillis(500);
        assertThatIllegalArgumentException().isThrownBy(() -> new WriterHealthProperties(Duration.ofMillis(50)))
                .withMessageContaining("tributary.writer.health.kafka-timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> new WriterHealthProperties(Duration.ofMinutes(1)))
                .withMessageContaining("tributary.writer.health.kafka-timeout");
    }
}
