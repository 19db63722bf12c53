package io.tributary.writer.schema;

import static io.tributary.writer.TestEvents.fields;
import static io.tributary.writer.TestEvents.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventSerializer;
import io.tributary.writer.WriterApplication;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The second brief's music inventory by configuration only: the writer application, started with
 * {@code tributary.writer.entities}, creates the tables, consumes {@code tributary.changes.items} and
 * applies it like the forum's entities.
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class ConfiguredEntitiesIT {

    @TempDir
    Path dir;

    @Test
    void theMusicInventoryIsSyncedWithoutJavaChanges(EmbeddedKafkaBroker broker) throws Exception {
        Path database = dir.resolve("main.db");
        try (ConfigurableApplicationContext app = WriterApplication.builder().run(
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0",
                "--tributary.writer.database.path=" + database,
                "--tributary.writer.consumer.fetch-max-wait=50ms",
                "--tributary.writer.entities[0].name=artists",
                "--tributary.writer.entities[0].fields[0].name=name",
                "--tributary.writer.entities[0].fields[0].type=text",
                "--tributary.writer.entities[1].name=items",
                "--tributary.writer.entities[1].fields[0].name=name",
                "--tributary.writer.entities[1].fields[0].type=text",
                "--tributary.writer.entities[1].fields[0].required=true",
                "--tributary.writer.entities[1].fields[1].name=artist_id",
                "--tributary.writer.entities[1].fields[1].type=reference",
                "--tributary.writer.entities[1].fields[1].references=artists",
                "--tributary.writer.entities[1].fields[2].name=album",
                "--tributary.writer.entities[1].fields[2].type=text",
                "--tributary.writer.entities[1].fields[3].name=year",
                "--tributary.writer.entities[1].fields[3].type=integer");
             KafkaProducer<String, ChangeEvent> producer = producer(broker)) {
            for (ChangeEvent event : new ChangeEvent[] {
                    upsert("items", "i1", 100, fields("name", "A Love Supreme", "artist_id", "a1", "album",
                            "A Love Supreme", "year", 1965)),
                    upsert("artists", "a1", 100, fields("name", "John Coltrane"))}) {
                producer.send(new ProducerRecord<>(event.topic(), event.key().encode(), event)).get();
            }

            await("the item and its artist in the main DB").atMost(Duration.ofSeconds(45))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> query(database, "SELECT COUNT(*) FROM items i JOIN artists a ON i.artist_id = a.id"
                            + " WHERE i.name = 'A Love Supreme' AND i.year = 1965 AND a.name = 'John Coltrane'"
                            + " AND a.source_version = 100") == 1);
            assertThat(app.isRunning()).isTrue();
        }
    }

    private static KafkaProducer<String, ChangeEvent> producer(EmbeddedKafkaBroker broker) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new ChangeEventSerializer());
    }

    private static long query(Path database, String sql) {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // not created yet
        }
    }
}
