package io.tributary.writer.dialect.postgres;

import io.tributary.writer.entity.FieldType;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tributary.writer.dialect.Dialect;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.dialect.UpsertStatements;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL: a pool of {@code tributary.writer.database.pool-size} connections, and several writer
 * instances may share the database (one consumer group; see the module README). Statements from
 * {@link UpsertStatements} with {@code GREATEST}; each carries up to {@link #rowsPerStatement()} rows in one
 * multi-row {@code VALUES}, which measured fastest (docs/decisions/0010-postgresql-main-database.md).
 *
 * <p>Concurrency: each upsert is one {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}, atomic per row
 * under READ COMMITTED (a concurrent writer of the same row is waited for, then the guard is evaluated
 * against the row it committed), and {@code ON CONFLICT DO NOTHING} placeholders are safe under concurrent
 * inserts of the same key. Deadlocks and serialization failures are transient: the batch is retried.
 */
public final class PostgresDialect implements Dialect {

    public static final String NAME = "postgresql";
    /** Rows per multi-row statement: large enough to amortise round trips, far below the 65535-parameter limit. */
    public static final int DEFAULT_ROWS_PER_STATEMENT = 50;
    /** The advisory lock key of the writers' schema changes (any constant the application does not use). */
    static final long SCHEMA_LOCK_KEY = 0x7472696275746172L; // "tributar"
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDialect.class);
    /** SQLState classes worth retrying: connection exception, insufficient resources, operator intervention, system error. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57", "58");
    /** Single SQLStates worth retrying: serialization failure, deadlock, completion unknown, lock not available. */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "40003", "55P03");

    private final int rowsPerStatement;
    private final boolean rewriteBatchedInserts;

    /** The measured best: multi-row statements of {@value #DEFAULT_ROWS_PER_STATEMENT} rows. */
    public PostgresDialect() {
        this(DEFAULT_ROWS_PER_STATEMENT, false);
    }

    /**
     * @param rowsPerStatement      rows per statement (1 = one row per statement, sent as a JDBC batch)
     * @param rewriteBatchedInserts the driver's {@code reWriteBatchedInserts}: it folds a JDBC batch of
     *                              single-row inserts into multi-row ones itself, but then reports no
     *                              update counts, so the applied/stale metrics are lost
     */
    public PostgresDialect(int rowsPerStatement, boolean rewriteBatchedInserts) {
        if (rowsPerStatement < 1 || rowsPerStatement > 2000) {
            throw new IllegalArgumentException("rowsPerStatement must be between 1 and 2000, was " + rowsPerStatement);
        }
        this.rowsPerStatement = rowsPerStatement;
        this.rewriteBatchedInserts = rewriteBatchedInserts;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DataSource createDataSource(WriterDatabaseProperties properties) {
        String url = Objects.requireNonNull(properties.url(), "tributary.writer.database.url");
        LOG.info("Main database: {} as {} ({} connection(s), {} row(s) per statement{})", properties.redactedUrl(),
                properties.username(),
                properties.poolSize(), rowsPerStatement, rewriteBatchedInserts ? ", reWriteBatchedInserts" : "");
        HikariConfig config = new HikariConfig();
        config.setPoolName("writer-db");
        config.setJdbcUrl(url);
        if (properties.username() != null) {
            config.setUsername(properties.username());
        }
        if (properties.password() != null) {
            config.setPassword(properties.password());
        }
        config.setMaximumPoolSize(properties.poolSize());
        config.setMinimumIdle(1);
        config.addDataSourceProperty("ApplicationName", "tributary-writer");
        config.addDataSourceProperty("reWriteBatchedInserts", Boolean.toString(rewriteBatchedInserts));
        return new HikariDataSource(config);
    }

    @Override
    public int rowsPerStatement() {
        return rowsPerStatement;
    }

    @Override
    public String columnType(FieldType type) {
        return switch (type) {
            case TEXT, TIMESTAMP -> "TEXT";
            case REFERENCE, INTEGER -> "BIGINT";
            case NUMBER -> "DOUBLE PRECISION";
            case BOOLEAN -> "SMALLINT";
            // jsonb, not text: the application can query it (->, @>, GIN indexes), and PostgreSQL checks it is JSON
            case JSON -> "JSONB";
        };
    }

    /** A parameter bound as text must be cast into a jsonb column (the driver sends it as varchar). */
    @Override
    public String jsonParameter() {
        return "CAST(? AS jsonb)";
    }

    /**
     * A transaction-scoped advisory lock (released at commit or rollback): several writers that learn the same
     * entity at the same moment create or evolve its table one after the other, and the later one finds it done.
     */
    @Override
    public java.util.Optional<String> schemaLock() {
        return java.util.Optional.of("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK_KEY + ")");
    }

    @Override
    public String identityColumn() {
        return "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
    }

    @Override
    public String greatestFunction() {
        return "GREATEST";
    }

    /** Several instances in one consumer group: see the class comment and the module README. */
    @Override
    public boolean supportsConcurrentWriters() {
        return true;
    }

    /**
     * Transient: {@link SQLTransientException}/{@link SQLRecoverableException} (the pool timing out, a broken
     * connection), SQLState classes 08 (connection), 53 (insufficient resources), 57 (server shutting down or
     * restarting, query cancelled), 58 (I/O), and 40001, 40P01, 40003, 55P03. Everything else — 23xxx
     * (integrity constraint), 22xxx (bad data, such as a NUL character in text), 42xxx — is permanent.
     */
    @Override
    public boolean isTransient(SQLException exception) {
        Throwable t = exception;
        for (int depth = 0; t != null && depth < 32; depth++, t = next(t)) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && isTransient(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static boolean isTransient(@Nullable String sqlState) {
        return sqlState != null && sqlState.length() == 5
                && (TRANSIENT_STATES.contains(sqlState) || TRANSIENT_CLASSES.contains(sqlState.substring(0, 2)));
    }

    /** The cause, or for a batch failure the driver's chained "next" exception, which holds the server's error. */
    private static @Nullable Throwable next(Throwable t) {
        if (t.getCause() != null) {
            return t.getCause();
        }
        return t instanceof SQLException sql ? sql.getNextException() : null;
    }
}
