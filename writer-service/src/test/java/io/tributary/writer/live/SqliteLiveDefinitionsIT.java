package io.tributary.writer.live;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** Definitions followed live into a SQLite main database. */
class SqliteLiveDefinitionsIT extends AbstractLiveDefinitionsIT {

    @TempDir
    Path dir;

    @Override
    protected List<String> databaseArgs() {
        return List.of("--tributary.writer.database.path=" + dir.resolve("main.db"));
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("main.db"));
    }
}
