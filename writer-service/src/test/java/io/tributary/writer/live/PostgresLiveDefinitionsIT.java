package io.tributary.writer.live;

import io.tributary.writer.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Definitions followed live into the machine's PostgreSQL (a fresh database per test); json columns are jsonb. */
class PostgresLiveDefinitionsIT extends AbstractLiveDefinitionsIT {

    private PostgresTestDatabase database;

    @BeforeEach
    void createDatabase() {
        database = PostgresTestDatabase.create("live");
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Override
    protected List<String> databaseArgs() {
        return List.of(database.writerArgs());
    }

    @Override
    protected Connection connect() throws SQLException {
        return database.connect();
    }
}
