package io.tributary.writer.outbound;

import static io.tributary.writer.TestEvents.fields;
import static io.tributary.writer.TestEvents.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.writer.TestEvents;
import io.tributary.writer.WriterDbFixture;
import io.tributary.writer.apply.SyncedAtStamps;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.dialect.sqlite.SqliteDialect;
import io.tributary.writer.entity.ConfiguredEntitiesProperties;
import io.tributary.writer.entity.ConfiguredEntitiesProperties.Entity;
import io.tributary.writer.entity.ConfiguredEntitiesProperties.Field;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.schema.EntityTables;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery's write-backs on a real SQLite main database with the capture's triggers: the external id of a create
 * is stored and never captured (no echo), a record the poller brought in before the write-back is merged into
 * the application's row without a duplicate and without a captured delete, and a local delete the conflict policy
 * dropped is undone without a captured change.
 */
class LocalRowsTest {

    private static final String SOURCE = TestEvents.SOURCE;
    private static final List<String> COLUMNS = List.of("name", "album");

    @TempDir
    Path dir;

    private WriterDbFixture db;
    private LocalRows rows;

    @BeforeEach
    void open() throws Exception {
        ConfiguredEntitiesProperties configured = new ConfiguredEntitiesProperties(List.of(new Entity("music_items",
                List.of(new Field("name", "text", false, null), new Field("album", "text", false, null)), true)));
        db = new WriterDbFixture(WriterDatabaseProperties.sqlite(dir.resolve("main.db"), Duration.ofSeconds(5)),
                new SqliteDialect(), EntityCatalog.forum().with(configured.definitions()));
        new EntityTables(db.database.dataSource(), db.database.dialect())
                .evolve(configured.definitions(), configured.twoWayEntities());
        rows = new LocalRows(db.database, new SyncedAtStamps(Clock.systemUTC()));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long localCreate(String name) throws Exception {
        db.execute("INSERT INTO music_items (source_id, external_id, source_version, deleted, synced_at, name, album)"
                + " VALUES ('" + SOURCE + "', NULL, 0, 0, '2026-11-22T10:00:00Z', '" + name + "', 'Local album')");
        long id = ((Number) db.query("SELECT max(id) AS id FROM music_items").get(0).get("id")).longValue();
        db.execute("DELETE FROM tributary_changelog"); // the capture read the CREATE
        return id;
    }

    private List<Map<String, Object>> changelog() throws Exception {
        return db.query("SELECT op, row_id FROM tributary_changelog ORDER BY seq");
    }

    @Test
    void theExternalIdAndVersionOfACreateAreStoredAndTheWriteIsNotCaptured() throws Exception {
        long id = localCreate("Blue Train");

        assertThat(rows.storeCreated("music_items", SOURCE, id, "mu-1", 1_000, COLUMNS)).isFalse();

        assertThat(rows.find("music_items", id)).contains(new LocalRows.Row(id, "mu-1", 1_000, false));
        assertThat(changelog()).as("no echo").isEmpty();
        rows.storeVersion("music_items", id, 2_000, 0, 1_000); // an edit captured before the create's write-back
        rows.storeVersion("music_items", id, 1_500, 2_000, -1); // an older answer never lowers it
        assertThat(rows.find("music_items", id).orElseThrow().sourceVersion()).isEqualTo(2_000);
        rows.storeVersion("music_items", id, 2_500, 2_000, -1); // an edit based on the row's version
        assertThat(rows.find("music_items", id).orElseThrow().sourceVersion()).isEqualTo(2_500);
        assertThat(changelog()).isEmpty();
        // the source's echo of our own create, polled later, is a no-op for the writer's version guard
        db.apply(upsert("music_items", "mu-1", 1_000, fields("name", "Blue Train", "album", "Local album")));
        assertThat(db.query("SELECT count(*) AS n FROM music_items").get(0).get("n")).isEqualTo(1L);
        assertThat(changelog()).isEmpty();
    }

    /**
     * A conflict the local edit won: the poller wrote the source's version into the row before our push; the
     * push's version is not stored over it, so the poll that brings our pushed fields back is applied.
     */
    @Test
    void theVersionOfAPushIsNotStoredOverASourceVersionThePollerBroughtInMeanwhile() throws Exception {
        long id = localCreate("So What");
        rows.storeCreated("music_items", SOURCE, id, "mu-3", 1_000, COLUMNS);
        db.execute("UPDATE music_items SET name = 'So What (local)' WHERE id = " + id); // the app's edit, base 1_000
        db.apply(upsert("music_items", "mu-3", 1_100, fields("name", "So What (source)", "album", "Local album")));

        rows.storeVersion("music_items", id, 1_200, 1_000, 1_000); // our push of the local edit produced 1_200

        assertThat(rows.find("music_items", id).orElseThrow().sourceVersion()).isEqualTo(1_100);
        db.apply(upsert("music_items", "mu-3", 1_200, fields("name", "So What (local)", "album", "Local album")));
        assertThat(db.query("SELECT name FROM music_items WHERE id = " + id).get(0)).containsEntry("name", "So What (local)");
    }

    @Test
    void aRecordThePollerBroughtInBeforeTheWriteBackIsMergedIntoTheApplicationsRow() throws Exception {
        long id = localCreate("Giant Steps");
        // the poller was faster than the write-back: the created record arrived as a row of its own, at a newer version
        db.apply(upsert("music_items", "mu-7", 1_200, fields("name", "Giant Steps (edited at the source)", "album", "X")));

        assertThat(rows.storeCreated("music_items", SOURCE, id, "mu-7", 1_000, COLUMNS)).isTrue();

        List<Map<String, Object>> all = db.query("SELECT id, external_id, source_version, deleted, name, album FROM music_items");
        assertThat(all).singleElement().satisfies(row -> {
            assertThat(((Number) row.get("id")).longValue()).as("the application's id is kept").isEqualTo(id);
            assertThat(row).containsEntry("external_id", "mu-7").containsEntry("deleted", 0L)
                    .containsEntry("name", "Giant Steps (edited at the source)").containsEntry("album", "X");
            assertThat(((Number) row.get("source_version")).longValue()).isEqualTo(1_200);
        });
        assertThat(changelog()).as("neither the merge nor the removal of the duplicate is captured").isEmpty();
    }

    @Test
    void aDuplicateOlderThanTheCreateLeavesTheApplicationsFieldsAlone() throws Exception {
        long id = localCreate("So What");
        db.apply(upsert("music_items", "mu-8", 900, fields("name", "stale", "album", "stale")));

        rows.storeCreated("music_items", SOURCE, id, "mu-8", 1_000, COLUMNS);

        assertThat(db.query("SELECT name, external_id, source_version FROM music_items")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("name", "So What").containsEntry("external_id", "mu-8")
                        .containsEntry("source_version", 1_000L));
        assertThat(changelog()).isEmpty();
    }

    /**
     * Decision 0033: the application deleted a row while someone changed the record at the source, and the policy
     * kept the source's change. The row is live again, nothing is captured, and the source's version is applied.
     */
    @Test
    void aDeleteTheConflictPolicyDroppedIsUndoneSoThatTheSourcesChangeIsApplied() throws Exception {
        long id = localCreate("Naima");
        rows.storeCreated("music_items", SOURCE, id, "mu-9", 1_000, COLUMNS);
        db.execute("UPDATE music_items SET deleted = 1 WHERE id = " + id); // the application's delete, base 1_000
        assertThat(changelog()).extracting(change -> change.get("op")).containsExactly("DELETE");
        db.execute("DELETE FROM tributary_changelog");
        // the poll of the source's edit meets a tombstone: refused, as every upsert of a deleted row
        db.apply(upsert("music_items", "mu-9", 1_100, fields("name", "Naima (source)", "album", "X")));
        assertThat(rows.find("music_items", id).orElseThrow().deleted()).isTrue();

        assertThat(rows.undoDelete("music_items", id, 1_100)).isTrue();

        assertThat(rows.find("music_items", id)).contains(new LocalRows.Row(id, "mu-9", 1_000, false));
        assertThat(changelog()).as("not taken for the application's change").isEmpty();
        db.apply(upsert("music_items", "mu-9", 1_100, fields("name", "Naima (source)", "album", "X")));
        assertThat(db.query("SELECT name, source_version FROM music_items WHERE id = " + id)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("name", "Naima (source)").containsEntry("source_version", 1_100L));
        assertThat(changelog()).isEmpty();
        assertThat(rows.undoDelete("music_items", id, 1_100)).as("a live row is left alone").isFalse();
    }

    @Test
    void aTombstoneNewerThanTheSourcesVersionIsNotUndone() throws Exception {
        long id = localCreate("Alabama");
        rows.storeCreated("music_items", SOURCE, id, "mu-10", 1_000, COLUMNS);
        db.apply(TestEvents.delete("music_items", "mu-10", 1_300)); // the source's own delete, applied since

        assertThat(rows.undoDelete("music_items", id, 1_100)).isFalse();

        assertThat(rows.find("music_items", id).orElseThrow().deleted()).isTrue();
        assertThat(rows.undoDelete("music_items", 404_404, 1_100)).as("a row hard-deleted").isFalse();
    }

    /**
     * Another process writes the file while a write-back runs (seen end to end: the capture purging its changelog).
     * The write-back holds SQLite's write lock from its first read ({@code BEGIN IMMEDIATE}), so the other writer
     * waits for it — here, with no busy timeout, it is refused — instead of overtaking the read, which made SQLite
     * fail the write-back's update at once ({@code SQLITE_BUSY}, no busy timeout applies to a stale snapshot), three
     * times in a row under load, and delivery call the source again for a create it had made.
     */
    @Test
    void aWriteBackHoldsTheWriteLockFromItsFirstReadSoNoOtherWriterOvertakesIt() throws Exception {
        long id = localCreate("Crescent");
        List<String> raced = new java.util.ArrayList<>();
        javax.sql.DataSource racing = racingDataSource(() -> {
            if (!raced.isEmpty()) {
                return;
            }
            try (java.sql.Connection application = java.sql.DriverManager.getConnection(
                    "jdbc:sqlite:" + dir.resolve("main.db") + "?busy_timeout=0");
                    java.sql.Statement write = application.createStatement()) {
                write.executeUpdate("DELETE FROM tributary_changelog"); // the capture's purge
                raced.add("the other writer went first");
            } catch (java.sql.SQLException e) {
                raced.add(e.getMessage());
            }
        });

        assertThat(new LocalRows(racing, db.database.dialect(), new SyncedAtStamps(Clock.systemUTC()))
                .storeCreated("music_items", SOURCE, id, "mu-11", 1_000, COLUMNS)).isFalse();

        assertThat(raced).singleElement().asString().contains("SQLITE_BUSY");
        assertThat(rows.find("music_items", id)).contains(new LocalRows.Row(id, "mu-11", 1_000, false));
        assertThat(changelog()).isEmpty();
    }

    private interface Race {
        void run() throws Exception;
    }

    /** The main database, with {@code race} run just before each write-back update is prepared. */
    private javax.sql.DataSource racingDataSource(Race race) {
        javax.sql.DataSource real = db.database.dataSource();
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    Object result = method.invoke(real, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    java.sql.Connection connection = (java.sql.Connection) result;
                    return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {java.sql.Connection.class}, (p, m, a) -> {
                                if (m.getName().equals("prepareStatement")
                                        && ((String) a[0]).contains("SET external_id = ?, source_version")) {
                                    race.run();
                                }
                                try {
                                    return m.invoke(connection, a);
                                } catch (java.lang.reflect.InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
    }
}
