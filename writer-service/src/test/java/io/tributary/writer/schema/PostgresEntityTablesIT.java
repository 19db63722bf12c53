package io.tributary.writer.schema;

import io.tributary.writer.PostgresTestDatabase;
import io.tributary.writer.WriterDbFixture;
import io.tributary.writer.dialect.postgres.PostgresDialect;
import io.tributary.writer.entity.EntityCatalog;
import org.junit.jupiter.api.AfterEach;

/** Configured entities on the machine's PostgreSQL: one database per test, reopened across "restarts". */
class PostgresEntityTablesIT extends AbstractEntityTablesTest {

    private PostgresTestDatabase database;

    @Override
    protected WriterDbFixture open(EntityCatalog catalog) {
        if (database == null) {
            database = PostgresTestDatabase.create("entities");
        }
        return new WriterDbFixture(database.properties(2), new PostgresDialect(), catalog);
    }

    @Override
    protected String jsonArrayLength(String column) {
        return "jsonb_array_length(" + column + ")"; // a function of jsonb only: the column is jsonb
    }

    @AfterEach
    void dropDatabase() {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
