package io.tributary.writer.dialect;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The main database.
 *
 * @param dialect     which {@link Dialect} to use: {@code sqlite} (default) or {@code postgresql}
 * @param path        SQLite: the database file; parent directories are created
 * @param busyTimeout SQLite: how long to wait for a lock held by another process before SQLITE_BUSY
 * @param url         PostgreSQL: the JDBC URL, {@code jdbc:postgresql://host:5432/db}
 * @param username    PostgreSQL: the user (none = the driver's default, the OS user)
 * @param password    PostgreSQL: the password (none for trust or peer authentication); never logged
 * @param poolSize    PostgreSQL: connections in the pool, at least 2 (the applier uses one at a time; status,
 *                    health and progress use the others; schema migration needs two); SQLite always uses one
 * @param cacheSize   SQLite: the most memory the connection's page cache may take (SQLite's {@code cache_size};
 *                    allocated as pages are read, outside the Java heap). SQLite's own default (2 MB) lets a
 *                    batch's dirty index pages spill before its commit and makes every commit rewrite them:
 *                    the writer's bytes written per row halve with 128 MB (docs/benchmarks.md)
 */
@ConfigurationProperties("tributary.writer.database")
@Validated
public record WriterDatabaseProperties(
        @DefaultValue(SQLITE) @NotBlank String dialect,
        @DefaultValue("./data/tributary.db") @Nullable Path path,
        @DefaultValue("5s") @NotNull Duration busyTimeout,
        @Nullable String url,
        @Nullable String username,
        @Nullable String password,
        @DefaultValue("4") @Min(1) @Max(64) int poolSize,
        @DefaultValue("128MB") @NotNull DataSize cacheSize) {

    static final String SQLITE = "sqlite";
    static final String POSTGRESQL = "postgresql";
    static final DataSize DEFAULT_CACHE_SIZE = DataSize.ofMegabytes(128);

    public WriterDatabaseProperties {
        if (busyTimeout != null && (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("tributary.writer.database.busy-timeout must be between 0 and "
                    + Integer.MAX_VALUE + " ms, was " + busyTimeout);
        }
        if (cacheSize != null && (cacheSize.toKilobytes() < 1 || cacheSize.toKilobytes() > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("tributary.writer.database.cache-size must be between 1KB and "
                    + Integer.MAX_VALUE + "KB, was " + cacheSize);
        }
        if (SQLITE.equals(dialect) && (path == null || path.toString().isBlank())) {
            throw new IllegalArgumentException("tributary.writer.database.path must be set when "
                    + "tributary.writer.database.dialect=sqlite");
        }
        if (POSTGRESQL.equals(dialect) && (url == null || !url.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("tributary.writer.database.url must be a jdbc:postgresql: URL when "
                    + "tributary.writer.database.dialect=postgresql, was " + (url == null ? "not set" : "'" + url + "'"));
        }
        if (POSTGRESQL.equals(dialect) && poolSize < 2) {
            throw new IllegalArgumentException("tributary.writer.database.pool-size must be at least 2 with PostgreSQL"
                    + " (schema migration holds two connections), was " + poolSize);
        }
    }

    /** A SQLite main database in {@code file}. */
    public static WriterDatabaseProperties sqlite(Path file, Duration busyTimeout) {
        return new WriterDatabaseProperties(SQLITE, file, busyTimeout, null, null, null, 1, DEFAULT_CACHE_SIZE);
    }

    /** A PostgreSQL main database. */
    public static WriterDatabaseProperties postgresql(String url, @Nullable String username, @Nullable String password,
            int poolSize) {
        return new WriterDatabaseProperties(POSTGRESQL, null, Duration.ZERO, url, username, password, poolSize,
                DEFAULT_CACHE_SIZE);
    }

    /** The URL for logs: a {@code password=} parameter in it is masked. */
    public @Nullable String redactedUrl() {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1******");
    }

    /** Every setting of the chosen dialect, the password masked. */
    @Override
    public String toString() {
        if (POSTGRESQL.equals(dialect)) {
            return "WriterDatabaseProperties[dialect=" + dialect + ", url=" + redactedUrl() + ", username=" + username
                    + ", password=" + (password == null ? "(none)" : "******") + ", poolSize=" + poolSize + "]";
        }
        return "WriterDatabaseProperties[dialect=" + dialect + ", path=" + path + ", busyTimeout=" + busyTimeout
                + ", cacheSize=" + cacheSize + "]";
    }
}
