package io.tributary.e2e;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Two-way sync on the machine's PostgreSQL ({@code wal_level=logical}, {@code .ci/prepare-postgresql}) as the
 * main database, capture through Debezium (0024); a database and a slot of its own, dropped after.
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class PostgresTwoWaySyncIT extends AbstractTwoWaySyncIT {

    private static final String HOST = System.getenv().getOrDefault("TRIBUTARY_TEST_PG_HOST", "127.0.0.1");
    private static final String PORT = System.getenv().getOrDefault("TRIBUTARY_TEST_PG_PORT", "5432");
    private static final String USER = System.getenv().getOrDefault("TRIBUTARY_TEST_PG_USER", "postgres");

    private final String name = "twoway_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private boolean created;

    @Override
    protected String jdbcUrl(Path mainDb) {
        if (!created) {
            admin("CREATE DATABASE " + name);
            created = true;
        }
        return url(name) + "?user=" + USER;
    }

    @Override
    protected List<String> writerDatabase(Path mainDb) {
        return List.of("--tributary.writer.database.dialect=postgresql",
                "--tributary.writer.database.url=" + url(name), "--tributary.writer.database.username=" + USER);
    }

    @Override
    protected List<String> capture(Path mainDb) {
        return List.of("--tributary.poller.capture.dialect=postgresql", "--tributary.poller.capture.url=" + url(name),
                "--tributary.poller.capture.username=" + USER, "--tributary.poller.capture.slot-name=" + name,
                "--tributary.poller.capture.heartbeat-interval=1s");
    }

    @Override
    protected void awaitCapturing() {
        await("capture slot " + name + " streaming").atMost(Duration.ofSeconds(60)).until(() ->
                count("SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + name + "'") == 1);
    }

    @Override
    protected void afterServices() {
        await("the capture released its slot").atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + name + "'") == 0);
        admin("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + name + "'");
        admin("DROP DATABASE IF EXISTS " + name);
    }

    private static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    private static long count(String sql) throws SQLException {
        try (Connection db = DriverManager.getConnection(url("postgres"), USER, null); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void admin(String sql) {
        try (Connection db = DriverManager.getConnection(url("postgres"), USER, null); Statement st = db.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
