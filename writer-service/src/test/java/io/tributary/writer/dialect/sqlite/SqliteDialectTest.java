package io.tributary.writer.dialect.sqlite;

import static io.tributary.writer.TestEvents.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.apply.BatchApplier;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EventMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDialectTest {

    private final SqliteDialect dialect = new SqliteDialect();

    @Test
    void upsertIsVersionGuardedAndWritesReferencesAsInternalIds() {
        String sql = dialect.upsert(EntityCatalog.forum().get("messages"), 1);

        assertThat(sql).startsWith("INSERT INTO messages (source_id, external_id, source_version, deleted, synced_at,"
                        + " topic_id, user_id, parent_id, body, created_at, updated_at)")
                .contains("(SELECT id FROM topics WHERE source_id = ? AND external_id = ?)")
                .contains("(SELECT id FROM messages WHERE source_id = ? AND external_id = ?)")
                .contains("ON CONFLICT (source_id, external_id) DO UPDATE SET")
                .endsWith("WHERE excluded.source_version > messages.source_version AND messages.deleted = 0");
    }

    @Test
    void aLockHeldByAnotherProcessIsTransient(@TempDir Path dir) throws SQLException {
        Path file = dir.resolve("main.db");
        EntityCatalog catalog = EntityCatalog.forum();
        try (WriterDatabase database = WriterDatabase.open(
                        WriterDatabaseProperties.sqlite(file, Duration.ZERO), List.of(dialect));
                Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement lock = other.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            BatchApplier applier = new BatchApplier(database, catalog, Clock.systemUTC());

            SQLException busy = catchThrowableOfType(SQLException.class,
                    () -> applier.apply(List.of(new EventMapper(catalog).map(section("s1", 1, "t")))));

            assertThat((Throwable) busy).isNotNull();
            assertThat(busy.getMessage()).contains("SQLITE_BUSY");
            assertThat(dialect.isTransient(busy)).isTrue();
            lock.execute("ROLLBACK");
        }
    }

    @Test
    void theConnectionRunsWithTheConfiguredPageCache(@TempDir Path dir) throws SQLException {
        WriterDatabaseProperties properties = new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(java.util.Map.of(
                        "tributary.writer.database.path", dir.resolve("main.db").toString(),
                        "tributary.writer.database.cache-size", "64MB")))
                .bindOrCreate("tributary.writer.database", WriterDatabaseProperties.class);
        try (WriterDatabase database = WriterDatabase.open(properties, List.of(dialect));
                Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                var pragma = statement.executeQuery("PRAGMA cache_size")) {
            pragma.next();
            assertThat(pragma.getLong(1)).as("cache_size (negative: KiB)").isEqualTo(-64L * 1024);
        }
    }
}
