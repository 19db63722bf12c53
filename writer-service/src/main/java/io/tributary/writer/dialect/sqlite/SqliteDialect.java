package io.tributary.writer.dialect.sqlite;

import io.tributary.writer.entity.FieldType;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tributary.writer.dialect.Dialect;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.dialect.UpsertStatements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig.TransactionMode;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite: one file, WAL journal, {@code synchronous=NORMAL} (durable across process crashes, may lose the
 * last commits on power loss; Kafka replays them), foreign keys enforced, a busy timeout for locks held by
 * other processes (readers of the application), exactly one connection (SQLite has one writer at a time, and
 * the writer service must run as exactly one instance on it). Statements from {@link UpsertStatements};
 * {@code max(a, b)} is SQLite's spelling of {@code GREATEST(a, b)}.
 */
public final class SqliteDialect implements Dialect {

    public static final String NAME = "sqlite";
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDialect.class);
    /** Primary result codes worth retrying: contention, I/O, a full disk, a file that could not be opened. */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(
            SQLiteErrorCode.SQLITE_BUSY.code, SQLiteErrorCode.SQLITE_LOCKED.code, SQLiteErrorCode.SQLITE_IOERR.code,
            SQLiteErrorCode.SQLITE_FULL.code, SQLiteErrorCode.SQLITE_CANTOPEN.code,
            SQLiteErrorCode.SQLITE_PROTOCOL.code);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DataSource createDataSource(WriterDatabaseProperties properties) {
        Path file = Objects.requireNonNull(properties.path(), "tributary.writer.database.path").toAbsolutePath().normalize();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the directory of tributary.writer.database.path=" + file, e);
        }
        String url = jdbcUrl(file, properties.busyTimeout().toMillis(), properties.cacheSize().toKilobytes());
        LOG.info("Main database: {}", url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("writer-db");
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    /** A negative {@code cache_size} is SQLite's way of giving the cache's size in KiB rather than in pages. */
    static String jdbcUrl(Path file, long busyTimeoutMillis, long cacheKibibytes) {
        return "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=NORMAL&foreign_keys=on&busy_timeout="
                + busyTimeoutMillis + "&cache_size=-" + cacheKibibytes;
    }

    /** One row per statement: SQLite runs in-process, a JDBC batch of one prepared statement costs no round trips. */
    @Override
    public int rowsPerStatement() {
        return 1;
    }

    @Override
    public String columnType(FieldType type) {
        return switch (type) {
            case TEXT, TIMESTAMP, JSON -> "TEXT"; // JSON: its text (SQLite's json functions read it)
            case REFERENCE, INTEGER, BOOLEAN -> "INTEGER";
            case NUMBER -> "REAL";
        };
    }

    @Override
    public String identityColumn() {
        return "INTEGER PRIMARY KEY";
    }

    @Override
    public String greatestFunction() {
        return "max";
    }

    /** One writer process owns the file: a second instance in the group would take half the partitions. */
    @Override
    public boolean supportsConcurrentWriters() {
        return false;
    }

    @Override
    public boolean isTransient(SQLException exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLiteException sqlite && TRANSIENT_CODES.contains(sqlite.getResultCode().code & 0xff)) {
                return true;
            }
        }
        return false;
    }

    /** {@code BEGIN IMMEDIATE}, the connection's mode restored after (later transactions stay deferred). */
    @Override
    public void beginReadThenWrite(Connection connection) throws SQLException {
        SQLiteConnection sqlite = connection.unwrap(SQLiteConnection.class);
        TransactionMode mode = sqlite.getConnectionConfig().getTransactionMode();
        sqlite.getConnectionConfig().setTransactionMode(TransactionMode.IMMEDIATE);
        try {
            connection.setAutoCommit(false);
        } finally {
            sqlite.getConnectionConfig().setTransactionMode(mode);
        }
    }
}
