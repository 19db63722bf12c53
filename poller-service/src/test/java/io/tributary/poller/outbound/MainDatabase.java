package io.tributary.poller.outbound;

import static org.awaitility.Awaitility.await;

import io.tributary.model.ChangeEvent;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.writer.apply.BatchApplier;
import io.tributary.writer.dialect.Dialect;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.dialect.postgres.PostgresDialect;
import io.tributary.writer.dialect.sqlite.SqliteDialect;
import io.tributary.writer.entity.ConfiguredEntitiesProperties;
import io.tributary.writer.entity.ConfiguredEntitiesProperties.Entity;
import io.tributary.writer.entity.ConfiguredEntitiesProperties.Field;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EventMapper;
import io.tributary.writer.schema.EntityTables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A main database shaped by the writer's own code (Flyway migrations, {@link EntityTables} with the two-way entity
 * {@code music_items}), written by the writer's own applier and by "the application" (plain SQL).
 */
final class MainDatabase implements AutoCloseable {

    static final String PG_HOST = env("TRIBUTARY_TEST_PG_HOST", "127.0.0.1");
    static final String PG_PORT = env("TRIBUTARY_TEST_PG_PORT", "5432");
    static final String PG_USER = env("TRIBUTARY_TEST_PG_USER", "postgres");
    private static final String PG_ADMIN_URL = "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres";
    private static final List<Entity> ENTITIES = List.of(new Entity("music_items", List.of(
            new Field("title", "text", true, null),
            new Field("year", "integer", false, null)), true));

    /** A source id of this database alone: the tests of a class share one broker. */
    final String source = "music-" + UUID.randomUUID().toString().substring(0, 8);
    final String dialect;
    final WriterDatabase database;
    final String pgDatabase;
    private final EventMapper mapper;
    private final BatchApplier applier;
    private final Dialect product;
    private final List<Entity> entities = new ArrayList<>(ENTITIES);

    private MainDatabase(String dialect, WriterDatabaseProperties properties, Dialect product, String pgDatabase)
            throws SQLException {
        this.dialect = dialect;
        this.pgDatabase = pgDatabase;
        this.product = product;
        ConfiguredEntitiesProperties configured = new ConfiguredEntitiesProperties(ENTITIES);
        EntityCatalog catalog = EntityCatalog.forum().with(configured.definitions());
        database = WriterDatabase.open(properties, List.of(product));
        new EntityTables(database.dataSource(), product).evolve(configured.definitions(), configured.twoWayEntities());
        mapper = new EventMapper(catalog);
        applier = new BatchApplier(database, catalog, Clock.systemUTC());
    }

    static MainDatabase sqlite(Path file) throws SQLException {
        return new MainDatabase("sqlite", WriterDatabaseProperties.sqlite(file, Duration.ofSeconds(5)),
                new SqliteDialect(), "");
    }

    /** A new database on the machine's PostgreSQL ({@code .ci/prepare-postgresql}); dropped by {@link #close}. */
    static MainDatabase postgresql() throws SQLException {
        String name = "capture_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + name);
        return new MainDatabase("postgresql", WriterDatabaseProperties.postgresql(
                "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + name, PG_USER, null, 2), new PostgresDialect(), name);
    }

    /**
     * What the writer does when a two-way definition of {@code entity} arrives: its table is created (text
     * {@code fields}) and prepared for capture (SQLite: triggers; PostgreSQL: {@code REPLICA IDENTITY FULL}).
     */
    void addTwoWayEntity(String entity, String... fields) throws SQLException {
        entities.add(new Entity(entity, java.util.Arrays.stream(fields).map(field -> new Field(field, "text", false, null))
                .toList(), true));
        ConfiguredEntitiesProperties configured = new ConfiguredEntitiesProperties(entities);
        new EntityTables(database.dataSource(), product).evolve(configured.definitions(), configured.twoWayEntities());
    }

    /** The application creates a row of a text-only table (no external id); returns its id. */
    long appInsert(String table, String field, String value) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("INSERT INTO " + table + " (source_id,"
                        + " source_version, deleted, synced_at, " + field + ") VALUES (?, 0, 0, ?, ?)",
                        new String[] {"id"})) {
            statement.setString(1, source);
            statement.setString(2, "2026-11-21T10:00:00.000Z");
            statement.setString(3, value);
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    String pgUrl() {
        return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + pgDatabase;
    }

    /** What the writer applies from the source: an upsert at {@code version}. */
    void writerUpsert(String externalId, long version, String title) throws SQLException {
        writer(ChangeEvent.of(source, "music_items", externalId, Operation.UPSERT, version, Instant.now(), Origin.POLL,
                Map.of("title", title)));
    }

    void writerDelete(String externalId, long version) throws SQLException {
        writer(ChangeEvent.of(source, "music_items", externalId, Operation.DELETE, version, Instant.now(), Origin.POLL,
                Map.of()));
    }

    private void writer(ChangeEvent event) throws SQLException {
        applier.apply(List.of(mapper.map("tributary.changes.music_items", event)));
    }

    /** The application creates a row (no external id); returns its id. */
    long appInsert(String title, int year) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("INSERT INTO music_items (source_id,"
                        + " source_version, deleted, synced_at, title, year) VALUES (?, 0, 0, ?, ?, ?)",
                        new String[] {"id"})) {
            statement.setString(1, source);
            statement.setString(2, "2026-11-21T10:00:00.000Z");
            statement.setString(3, title);
            statement.setInt(4, year);
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    long id(String externalId) throws SQLException {
        return number("SELECT id FROM music_items WHERE external_id = '" + externalId + "'");
    }

    long number(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String string(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws SQLException {
        database.close();
        if (!pgDatabase.isEmpty()) {
            try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "")) {
                await("replication slots of " + pgDatabase + " released").atMost(Duration.ofSeconds(30))
                        .until(() -> count(admin, "SELECT count(*) FROM pg_replication_slots WHERE active AND database = ?") == 0);
                try (PreparedStatement drop = admin.prepareStatement(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = ?")) {
                    drop.setString(1, pgDatabase);
                    drop.execute();
                }
            }
            admin("DROP DATABASE IF EXISTS " + pgDatabase + " WITH (FORCE)");
        }
    }

    private long count(Connection admin, String sql) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement(sql)) {
            statement.setString(1, pgDatabase);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
                Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static List<String> list(String... values) {
        return new ArrayList<>(List.of(values));
    }
}
