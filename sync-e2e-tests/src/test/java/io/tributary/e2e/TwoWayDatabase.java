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

/**
 * The main database of a two-way pipeline, per dialect: its JDBC URL (the test's reads and the application's
 * writes), the writer's and the capture's settings, and what capture needs before the first local change.
 */
interface TwoWayDatabase extends AutoCloseable {

    String jdbcUrl();

    /** Writer arguments selecting this database (after {@link PipelineServices#writerArgs}'s SQLite path). */
    List<String> writerArgs();

    /** Poller arguments of the capture's dialect. */
    List<String> captureArgs();

    /** Returns once the capture follows the database (PostgreSQL's starts at the WAL of its first start). */
    default void awaitCapturing() {
    }

    /** After the services stopped. */
    @Override
    default void close() {
    }

    /** A SQLite file, captured from its changelog table (decision 0024). */
    static TwoWayDatabase sqlite(Path file) {
        return new TwoWayDatabase() {
            @Override
            public String jdbcUrl() {
                return "jdbc:sqlite:" + file + "?busy_timeout=10000";
            }

            @Override
            public List<String> writerArgs() {
                return List.of("--tributary.writer.database.path=" + file);
            }

            @Override
            public List<String> captureArgs() {
                return List.of("--tributary.poller.capture.dialect=sqlite", "--tributary.poller.capture.path=" + file,
                        "--tributary.poller.capture.poll-interval=100ms");
            }
        };
    }

    /**
     * A database of its own on the machine's PostgreSQL ({@code wal_level=logical}, {@code .ci/prepare-postgresql}),
     * captured through Debezium with a slot of its own; both dropped at {@link #close}.
     */
    static TwoWayDatabase postgres() {
        return new Postgres();
    }

    final class Postgres implements TwoWayDatabase {

        private static final String HOST = System.getenv().getOrDefault("TRIBUTARY_TEST_PG_HOST", "127.0.0.1");
        private static final String PORT = System.getenv().getOrDefault("TRIBUTARY_TEST_PG_PORT", "5432");
        private static final String USER = System.getenv().getOrDefault("TRIBUTARY_TEST_PG_USER", "postgres");

        private final String name = "twoway_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

        private Postgres() {
            admin("CREATE DATABASE " + name);
        }

        @Override
        public String jdbcUrl() {
            return url(name) + "?user=" + USER;
        }

        @Override
        public List<String> writerArgs() {
            return List.of("--tributary.writer.database.dialect=postgresql",
                    "--tributary.writer.database.url=" + url(name), "--tributary.writer.database.username=" + USER);
        }

        @Override
        public List<String> captureArgs() {
            return List.of("--tributary.poller.capture.dialect=postgresql", "--tributary.poller.capture.url=" + url(name),
                    "--tributary.poller.capture.username=" + USER, "--tributary.poller.capture.slot-name=" + name,
                    "--tributary.poller.capture.heartbeat-interval=1s");
        }

        @Override
        public void awaitCapturing() {
            await("capture slot " + name + " streaming").atMost(Duration.ofSeconds(60)).until(() -> slotActive() == 1);
        }

        @Override
        public void close() {
            await("the capture released its slot").atMost(Duration.ofSeconds(30)).until(() -> slotActive() == 0);
            admin("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + name + "'");
            admin("DROP DATABASE IF EXISTS " + name);
        }

        private long slotActive() throws SQLException {
            try (Connection db = DriverManager.getConnection(url("postgres"), USER, null);
                    Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '"
                            + name + "'")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private static String url(String database) {
            return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
        }

        private static void admin(String sql) {
            try (Connection db = DriverManager.getConnection(url("postgres"), USER, null); Statement st = db.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + ": " + e.getMessage(), e);
            }
        }
    }
}
