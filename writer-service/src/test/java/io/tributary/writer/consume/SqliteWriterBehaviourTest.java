package io.tributary.writer.consume;

import io.tributary.writer.WriterDbFixture;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** The writer behaviour suite on SQLite: a fresh database file per test. */
class SqliteWriterBehaviourTest extends AbstractWriterBehaviourTest {

    @TempDir
    Path dir;

    @Override
    protected WriterDbFixture openDatabase() {
        return WriterDbFixture.sqlite(dir);
    }

    @Override
    protected void refuseSectionsTitled(String title) throws SQLException {
        db.execute("CREATE TRIGGER poison BEFORE INSERT ON sections WHEN NEW.title = '" + title + "'"
                + " BEGIN SELECT RAISE(ABORT, 'poisoned title'); END");
    }
}
