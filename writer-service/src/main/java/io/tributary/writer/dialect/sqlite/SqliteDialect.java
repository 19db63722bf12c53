package io.tributary.writer.dialect.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tributary.writer.dialect.Dialect;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.entity.EntityDefinition;
import io.tributary.writer.entity.FieldDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite: one file, WAL journal, {@code synchronous=NORMAL} (durable across process crashes, may lose the
 * last commits on power loss; Kafka replays them), foreign keys enforced, a busy timeout for locks held by
 * other processes (readers of the application). Upserts use {@code INSERT ... ON CONFLICT ... DO UPDATE
 * ... WHERE}, which PostgreSQL accepts too; only {@code max(a, b)} is SQLite's spelling of
 * {@code GREATEST(a, b)}.
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
        Path file = properties.path().toAbsolutePath().normalize();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the directory of tributary.writer.database.path=" + file, e);
        }
        String url = jdbcUrl(file, properties.busyTimeout().toMillis());
        LOG.info("Main database: {}", url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("writer-db");
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    static String jdbcUrl(Path file, long busyTimeoutMillis) {
        return "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=NORMAL&foreign_keys=on&busy_timeout="
                + busyTimeoutMillis;
    }

    @Override
    public String insertPlaceholder(EntityDefinition entity) {
        return "INSERT INTO " + entity.name() + " (source_id, external_id, source_version, deleted, synced_at)"
                + " VALUES (?, ?, 0, 0, ?) ON CONFLICT (source_id, external_id) DO NOTHING";
    }

    @Override
    public String upsert(EntityDefinition entity) {
        String table = entity.name();
        List<String> columns = new ArrayList<>(List.of("source_id", "external_id", "source_version", "deleted",
                "synced_at"));
        List<String> values = new ArrayList<>(List.of("?", "?", "?", "0", "?"));
        List<String> updates = new ArrayList<>(List.of("source_version = excluded.source_version",
                "synced_at = excluded.synced_at"));
        for (FieldDefinition field : entity.fields()) {
            columns.add(field.name());
            values.add(field.isReference()
                    ? "(SELECT id FROM " + field.references() + " WHERE source_id = ? AND external_id = ?)"
                    : "?");
            updates.add(field.name() + " = excluded." + field.name());
        }
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ")"
                + " VALUES (" + String.join(", ", values) + ")"
                + " ON CONFLICT (source_id, external_id) DO UPDATE SET " + String.join(", ", updates)
                + " WHERE excluded.source_version > " + table + ".source_version AND " + table + ".deleted = 0";
    }

    @Override
    public String delete(EntityDefinition entity) {
        String table = entity.name();
        return "INSERT INTO " + table + " (source_id, external_id, source_version, deleted, synced_at)"
                + " VALUES (?, ?, ?, 1, ?) ON CONFLICT (source_id, external_id) DO UPDATE SET deleted = 1,"
                + " source_version = max(" + table + ".source_version, excluded.source_version),"
                + " synced_at = excluded.synced_at"
                + " WHERE " + table + ".deleted = 0 OR excluded.source_version > " + table + ".source_version";
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
}
