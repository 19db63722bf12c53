package io.tributary.writer.dialect;

import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main database: the configured {@link Dialect}, its data source (one connection for SQLite, a pool
 * for PostgreSQL), and the schema, migrated by Flyway from {@code classpath:db/writer/{dialect}} into its
 * own history table (the main database belongs to the application; the writer's history must not collide
 * with the application's). Writers starting at once on PostgreSQL are serialised by Flyway's lock.
 */
public final class WriterDatabase implements AutoCloseable {

    public static final String HISTORY_TABLE = "tributary_writer_schema_history";
    private static final Logger LOG = LoggerFactory.getLogger(WriterDatabase.class);

    private final Dialect dialect;
    private final DataSource dataSource;

    private WriterDatabase(Dialect dialect, DataSource dataSource) {
        this.dialect = dialect;
        this.dataSource = dataSource;
    }

    /** Selects the dialect named by the properties, connects and migrates the schema. */
    public static WriterDatabase open(WriterDatabaseProperties properties, List<Dialect> dialects) {
        Dialect dialect = dialects.stream()
                .filter(d -> d.name().equals(properties.dialect()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("tributary.writer.database.dialect='"
                        + properties.dialect() + "' is not supported; supported: "
                        + dialects.stream().map(Dialect::name).collect(Collectors.joining(", "))));
        DataSource dataSource = dialect.createDataSource(properties);
        WriterDatabase database = new WriterDatabase(dialect, dataSource);
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/writer/" + dialect.name())
                    .table(HISTORY_TABLE)
                    .load()
                    .migrate();
            LOG.info("Main database ready ({}): schema version {}, {} migration(s) applied now", dialect.name(),
                    result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                    result.migrationsExecuted);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        if (dataSource instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("Failed to close the main database's data source", e);
            }
        }
    }
}
