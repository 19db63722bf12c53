package io.tributary.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * SQLite allows exactly one writer: a second SQLite writer joining the group (and so taking partitions to
 * its own file) is reported loudly, by both instances, as soon as the group rebalances.
 */
@EmbeddedKafka(partitions = 2, brokerProperties = "group.initial.rebalance.delay.ms=0")
@ExtendWith(OutputCaptureExtension.class)
class SqliteSingleWriterIT {

    @TempDir
    Path dir;

    @Test
    void aSecondSqliteWriterInTheGroupIsReportedAsAnError(EmbeddedKafkaBroker broker, CapturedOutput output) {
        try (ConfigurableApplicationContext first = writer(broker, "first.db")) {
            await("first writer assigned").atMost(Duration.ofSeconds(30))
                    .until(() -> output.getOut().contains("Partitions assigned to member"));
            assertThat(output.getOut()).doesNotContain("ANOTHER WRITER HAS JOINED");

            try (ConfigurableApplicationContext second = writer(broker, "second.db")) {
                await("the split reported").atMost(Duration.ofSeconds(30))
                        .until(() -> output.getOut().contains("ANOTHER WRITER HAS JOINED consumer group 'tributary-writer'"));
                assertThat(output.getOut()).contains("allows exactly ONE writer instance (SQLite)");
            }
        }
    }

    private ConfigurableApplicationContext writer(EmbeddedKafkaBroker broker, String file) {
        return WriterApplication.builder().run("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0", "--tributary.writer.database.path=" + dir.resolve(file),
                "--tributary.writer.topics.partitions=2", "--tributary.writer.progress.interval=10s",
                "--spring.kafka.consumer.heartbeat-interval=500ms");
    }
}
