package io.tributary.writer.consume;

import io.tributary.writer.PostgresTestDatabase;
import io.tributary.writer.WriterDbFixture;
import io.tributary.writer.dialect.postgres.PostgresDialect;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The writer behaviour suite on the machine's PostgreSQL: one database for the class (dropped after it),
 * emptied before each test. Fails, never skips, when PostgreSQL is unreachable.
 */
class PostgresWriterBehaviourIT extends AbstractWriterBehaviourTest {

    static PostgresTestDatabase postgres;

    @BeforeAll
    static void createDatabase() {
        postgres = PostgresTestDatabase.create("behaviour");
    }

    @AfterAll
    static void dropDatabase() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected WriterDbFixture openDatabase() throws SQLException {
        WriterDbFixture fixture = new WriterDbFixture(postgres.properties(2), new PostgresDialect());
        fixture.execute("TRUNCATE users, sections, topics, messages RESTART IDENTITY",
                "DROP TRIGGER IF EXISTS poison ON sections");
        return fixture;
    }

    @Override
    protected void refuseSectionsTitled(String title) throws SQLException {
        db.execute("CREATE OR REPLACE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF NEW.title = '" + title + "' THEN RAISE EXCEPTION 'poisoned title'; END IF;"
                        + " RETURN NEW; END $$",
                "CREATE TRIGGER poison BEFORE INSERT ON sections FOR EACH ROW EXECUTE FUNCTION poison()");
    }
}
