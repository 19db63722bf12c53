package io.tributary.writer;

import static io.tributary.writer.TestEvents.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventJson;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code logging.structured.format.console=logstash} a batch's log lines are JSON objects carrying the
 * MDC keys the listener sets around the batch: {@code source}, {@code entity} and, for a batch of one
 * record, {@code eventId}.
 */
@EmbeddedKafka
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void aBatchLogsJsonWithItsSourceEntityAndEventId(EmbeddedKafkaBroker broker, CapturedOutput output) {
        try (ConfigurableApplicationContext app = WriterApplication.builder().run(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0",
                "--tributary.writer.database.path=" + dir.resolve("tributary.db"),
                // This module's logback-test.xml replaces Boot's console set-up; use the one a deployment gets.
                "--logging.config=classpath:logback-structured.xml",
                "--logging.structured.format.console=logstash",
                "--logging.level.io.tributary.writer.consume=DEBUG")) {
            ChangeEvent event = user("u-json", System.currentTimeMillis(), "ann");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(event.topic(), event.key().encode(), ChangeEventJson.write(event)));
            }

            JsonNode line = await("the batch's log line").atMost(Duration.ofSeconds(30))
                    .until(() -> find(output, "Applied a batch of 1 change(s)"), found -> found != null);
            assertThat(line.get("level").stringValue()).isEqualTo("DEBUG");
            assertThat(line.get("source").stringValue()).isEqualTo(event.sourceId());
            assertThat(line.get("entity").stringValue()).isEqualTo("users");
            assertThat(line.get("eventId").stringValue()).isEqualTo(event.eventId());
        }
    }

    private static JsonNode find(CapturedOutput output, String text) {
        List<String> lines = output.getOut().lines().filter(l -> l.contains(text)).toList();
        if (lines.isEmpty()) {
            return null;
        }
        JsonNode node = JSON.readTree(lines.get(0));
        assertThat(node.get("message").stringValue()).contains(text);
        return node;
    }
}
