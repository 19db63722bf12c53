package io.tributary.writer.schema;

import io.tributary.writer.WriterDbFixture;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.dialect.sqlite.SqliteDialect;
import io.tributary.writer.entity.EntityCatalog;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** Configured entities on SQLite: one database file per test, reopened across "restarts". */
class SqliteEntityTablesTest extends AbstractEntityTablesTest {

    @TempDir
    Path dir;

    @Override
    protected WriterDbFixture open(EntityCatalog catalog) {
        return new WriterDbFixture(WriterDatabaseProperties.sqlite(dir.resolve("main.db"), Duration.ofSeconds(5)),
                new SqliteDialect(), catalog);
    }

    @Override
    protected String jsonArrayLength(String column) {
        return "json_array_length(" + column + ")";
    }
}
