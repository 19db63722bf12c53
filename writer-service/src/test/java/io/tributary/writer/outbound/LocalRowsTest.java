package io.tributary.writer.outbound;

import static io.tributary.writer.TestEvents.fields;
import static io.tributary.writer.TestEvents.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.writer.TestEvents;
import io.tributary.writer.WriterDbFixture;
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
 * is stored and never captured (no echo), and a record the poller brought in before the write-back is merged into
 * the application's row without a duplicate and without a captured delete.
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
        rows = new LocalRows(db.database.dataSource(), Clock.systemUTC());
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
}
