package io.tributary.simulator.store;

import java.sql.ResultSet;
import java.sql.Statement;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code db}: UP when a reader connection of the simulator's SQLite file answers {@code SELECT 1}, DOWN
 * with the failure otherwise. Boot's own {@code db} indicator needs a {@code DataSource}, which the
 * simulator does not have (it holds its connections itself, see {@link SqliteDatabase}).
 */
final class DatabaseHealthIndicator implements HealthIndicator {

    private final SqliteDatabase database;

    DatabaseHealthIndicator(SqliteDatabase database) {
        this.database = database;
    }

    @Override
    public Health health() {
        try {
            int one = database.read(connection -> {
                try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT 1")) {
                    return result.next() ? result.getInt(1) : 0;
                }
            });
            return one == 1
                    ? Health.up().withDetail("database", "SQLite").withDetail("file", database.file().getFileName().toString()).build()
                    : Health.down().withDetail("error", "SELECT 1 returned no row").build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", e.getMessage()).build();
        }
    }
}
