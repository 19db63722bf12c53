package io.tributary.writer.consume;

import static io.tributary.writer.TestEvents.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.MalformedChangeEventException;
import io.tributary.writer.apply.BatchApplier;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.dialect.sqlite.SqliteDialect;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.progress.WriterMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * The listener's SQLite-specific failure handling (the rest is in {@link AbstractWriterBehaviourTest}, per
 * dialect); Kafka's part is the IT's.
 */
class ChangeEventListenerTest {

    private static final String TOPIC = "tributary.changes.sections";

    @TempDir
    Path dir;
    WriterDatabase database;
    ChangeEventListener listener;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void open() {
        EntityCatalog catalog = EntityCatalog.forum();
        SqliteDialect dialect = new SqliteDialect();
        database = WriterDatabase.open(WriterDatabaseProperties.sqlite(dir.resolve("main.db"), Duration.ZERO),
                List.of(dialect));
        listener = new ChangeEventListener(new CurrentCatalog(catalog),
                new BatchApplier(database, catalog, Clock.systemUTC()), dialect, new WriterMetrics(meters, catalog),
                new ReceivedRecords(meters, "writerListenerContainer-0", "tributary-writer"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void anUnreadableRecordIsNamedWithItsCause() throws SQLException {
        List<ConsumerRecord<String, ChangeEvent>> batch = records(section("s1", 1, "one"));
        ConsumerRecord<String, ChangeEvent> unreadable = new ConsumerRecord<>(TOPIC, 0, 1, "forum-sim:x", null);
        SerializationUtils.deserializationException(unreadable.headers(), "{".getBytes(StandardCharsets.UTF_8),
                new MalformedChangeEventException("Change event is not valid JSON"), false);
        batch.add(unreadable);

        BatchListenerFailedException failure = catchThrowableOfType(BatchListenerFailedException.class,
                () -> listener.onMessage(batch));

        assertThat(failure.getIndex()).isEqualTo(1);
        assertThat(failure.getCause()).isInstanceOf(DeserializationException.class);
        assertThat(failure.getMessage()).contains("Change event is not valid JSON");
        assertThat(titles()).containsExactly("one");
    }

    @Test
    void aBusyDatabaseIsTransientAndTheRetrySucceeds() throws SQLException {
        List<ConsumerRecord<String, ChangeEvent>> batch = records(section("s1", 1, "one"), section("s2", 1, "two"));
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("main.db"));
                Statement lock = other.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");

            TransientApplyException failure = catchThrowableOfType(TransientApplyException.class,
                    () -> listener.onMessage(batch));

            assertThat(failure).hasMessageContaining("SQLITE_BUSY");
            lock.execute("ROLLBACK");
        }
        assertThat(titles()).isEmpty();

        listener.onMessage(batch);

        assertThat(titles()).containsExactly("one", "two");
    }

    private static List<ConsumerRecord<String, ChangeEvent>> records(ChangeEvent... events) {
        List<ConsumerRecord<String, ChangeEvent>> records = new ArrayList<>();
        for (ChangeEvent event : events) {
            records.add(new ConsumerRecord<>(event.topic(), 0, records.size(), event.key().encode(), event));
        }
        return records;
    }

    private List<String> titles() throws SQLException {
        List<String> titles = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT title FROM sections ORDER BY external_id")) {
            while (rs.next()) {
                titles.add(rs.getString(1));
            }
        }
        return titles;
    }
}
