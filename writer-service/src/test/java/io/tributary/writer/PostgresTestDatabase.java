package io.tributary.writer;

import io.tributary.writer.dialect.WriterDatabaseProperties;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh, uniquely named database on the machine's PostgreSQL server, dropped on {@link #close()}.
 * The server is {@code 127.0.0.1:5432} with trust authentication for user {@code postgres} (what
 * {@code .ci/run} prepares); {@code TRIBUTARY_TEST_PG_HOST}, {@code _PORT}, {@code _USER} and
 * {@code _PASSWORD} override that. An unreachable server FAILS the test: it is never skipped.
 *
 * <p>Test databases run with {@code synchronous_commit = off}: thousands of tiny transactions stay fast,
 * and durability across a server crash is not what these tests are about.
 */
public final class PostgresTestDatabase implements AutoCloseable {

    public static final String HOST = env("TRIBUTARY_TEST_PG_HOST", "127.0.0.1");
    public static final String PORT = env("TRIBUTARY_TEST_PG_PORT", "5432");
    public static final String USER = env("TRIBUTARY_TEST_PG_USER", "postgres");
    public static final String PASSWORD = env("TRIBUTARY_TEST_PG_PASSWORD", "");

    private final String name;

    private PostgresTestDatabase(String name) {
        this.name = name;
    }

    /** Creates {@code tributary_<prefix>_<random>}. */
    public static PostgresTestDatabase create(String prefix) {
        String name = ("tributary_" + prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10))
                .toLowerCase(Locale.ROOT);
        admin("CREATE DATABASE " + name, "ALTER DATABASE " + name + " SET synchronous_commit = off");
        return new PostgresTestDatabase(name);
    }

    public String name() {
        return name;
    }

    public String url() {
        return url(name);
    }

    /** Writer properties for this database. */
    public WriterDatabaseProperties properties(int poolSize) {
        return WriterDatabaseProperties.postgresql(url(), USER, PASSWORD.isEmpty() ? null : PASSWORD, poolSize);
    }

    /** The {@code tributary.writer.database.*} settings for a writer application on this database. */
    public String[] writerArgs() {
        List<String> args = new ArrayList<>(List.of("--tributary.writer.database.dialect=postgresql",
                "--tributary.writer.database.url=" + url(), "--tributary.writer.database.username=" + USER));
        if (!PASSWORD.isEmpty()) {
            args.add("--tributary.writer.database.password=" + PASSWORD);
        }
        return args.toArray(String[]::new);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    private static void admin(String... statements) {
        try (Connection connection = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " (user " + USER + ") is required by"
                    + " this integration test and did not accept '" + statements[0] + "': " + e.getMessage()
                    + " — run .ci/run (it installs, starts and configures PostgreSQL) or set TRIBUTARY_TEST_PG_*", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
