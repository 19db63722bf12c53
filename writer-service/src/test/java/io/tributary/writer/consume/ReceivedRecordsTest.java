package io.tributary.writer.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ReceivedRecordsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ReceivedRecords received = new ReceivedRecords(meters, "writerListenerContainer-0", "tributary-writer");

    @Test
    void countsEveryRecordPerTopicWithTheTagsOfSpringKafkasPerRecordObservation() {
        received.received(List.of(record("tributary.changes.users"), record("tributary.changes.users"),
                record("tributary.changes.messages"), record("tributary.changes.users")));
        received.received(List.of(record("tributary.changes.messages")));

        Timer users = meters.get("spring.kafka.listener").tag("messaging.source.name", "tributary.changes.users").timer();
        Timer messages = meters.get("spring.kafka.listener").tag("messaging.source.name", "tributary.changes.messages")
                .timer();
        assertThat(users.count()).isEqualTo(3);
        assertThat(messages.count()).isEqualTo(2);
        assertThat(users.getId().getTags()).containsExactlyInAnyOrder(
                Tag.of("spring.kafka.listener.id", "writerListenerContainer-0"),
                Tag.of("messaging.system", "kafka"),
                Tag.of("messaging.operation", "process"),
                Tag.of("messaging.source.name", "tributary.changes.users"),
                Tag.of("messaging.source.kind", "topic"),
                Tag.of("messaging.kafka.consumer.group", "tributary-writer"),
                Tag.of("error", "none"));
    }

    @Test
    void anEmptyBatchRecordsNothing() {
        received.received(List.of());
        assertThat(meters.find("spring.kafka.listener").timers()).isEmpty();
    }

    private static ConsumerRecord<String, String> record(String topic) {
        return new ConsumerRecord<>(topic, 0, 0, "forum-sim:1", "{}");
    }
}
