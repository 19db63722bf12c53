package io.tributary.simulator.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The simulator's SQLite file in WAL mode: one writer connection (writes are serialized, each in one
 * transaction) and a few reader connections (a statement reads one consistent snapshot and does not block
 * the writer). Every call blocks: callers on an event loop must hop to {@code Schedulers.boundedElastic()}.
 */
public final class SqliteDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);
    private static final int READERS = 4;

    /** Work against a connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final Path file;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new ArrayList<>();

    private SqliteDatabase(Path file) throws SQLException {
        this.file = file;
        this.writer = connect(file);
        all.add(writer);
        for (int i = 0; i < READERS; i++) {
            Connection reader = connect(file);
            all.add(reader);
            readers.add(reader);
        }
    }

    /** Opens (creating it and its parent directories if needed) the file and creates missing tables. */
    public static SqliteDatabase open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to create the directory of forum-simulator.database " + file, e);
        }
        try {
            SqliteDatabase db = new SqliteDatabase(file);
            db.write(c -> {
                Schema.createTables(c);
                return null;
            });
            log.info("Opened simulator database {}", file.toAbsolutePath());
            return db;
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to open SQLite database forum-simulator.database=" + file, e);
        }
    }

    private static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(30_000);
        return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    public Path file() {
        return file;
    }

    /** Runs {@code work} on a reader connection (auto-commit: each statement sees one snapshot). */
    public <T> T read(SqlWork<T> work) {
        Connection connection;
        try {
            connection = readers.poll(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a reader connection", e);
        }
        if (connection == null) {
            throw new IllegalStateException("No reader connection free within 60 s on " + file);
        }
        try {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to read from " + file + ": " + e.getMessage(), e);
        } finally {
            readers.add(connection);
        }
    }

    /** Runs {@code work} in one write transaction (committed on return, rolled back on failure). */
    public <T> T write(SqlWork<T> work) {
        writeLock.lock();
        try {
            writer.setAutoCommit(false);
            try {
                T result = work.apply(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to write to " + file + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Drops every table and creates them again, empty and without indexes. */
    public void reset() {
        write(c -> {
            Schema.dropAll(c);
            Schema.createTables(c);
            return null;
        });
    }

    /** Creates the id and (updated_at, id) indexes that are missing. */
    public void createIndexes() {
        write(c -> {
            Schema.createIndexes(c);
            return null;
        });
    }

    @Override
    public void close() {
        for (Connection connection : all) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("Failed to close a connection to {}: {}", file, e.getMessage());
            }
        }
    }
}
