package io.tributary.writer.schema;

import static io.tributary.writer.TestEvents.delete;
import static io.tributary.writer.TestEvents.fields;
import static io.tributary.writer.TestEvents.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.writer.WriterDbFixture;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.dialect.sqlite.SqliteDialect;
import io.tributary.writer.entity.ConfiguredEntitiesProperties;
import io.tributary.writer.entity.ConfiguredEntitiesProperties.Entity;
import io.tributary.writer.entity.ConfiguredEntitiesProperties.Field;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.tombstone.TombstonePurger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The echo rule of two-way capture on a real SQLite file (decision 0024): every write of the writer — through
 * its own applier and tombstone purge — leaves the changelog empty; every write of the application is captured
 * with the right operation, base version and fields.
 */
class CaptureTriggersTest {

    static final List<Entity> MUSIC = List.of(
            new Entity("artists", List.of(new Field("name", "text", true, null))),
            new Entity("music_items", List.of(
                    new Field("title", "text", true, null),
                    new Field("artist_id", "reference", false, "artists"),
                    new Field("year", "integer", false, null),
                    new Field("rating", "number", false, null)), true));

    @TempDir
    Path dir;

    private WriterDbFixture db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private EntityTables.Changes open(List<Entity> entities) throws Exception {
        return open(entities, Clock.systemUTC());
    }

    private EntityTables.Changes open(List<Entity> entities, Clock clock) throws Exception {
        if (db != null) {
            db.close();
        }
        ConfiguredEntitiesProperties configured = new ConfiguredEntitiesProperties(entities);
        db = new WriterDbFixture(WriterDatabaseProperties.sqlite(dir.resolve("main.db"), Duration.ofSeconds(5)),
                new SqliteDialect(), EntityCatalog.forum().with(configured.definitions()), clock);
        return new EntityTables(db.database.dataSource(), db.database.dialect())
                .evolve(configured.definitions(), configured.twoWayEntities());
    }

    private List<Map<String, Object>> changelog() throws Exception {
        return db.query("SELECT seq, entity, row_id, op, source_id, external_id, base_version, changed_at, fields"
                + " FROM tributary_changelog ORDER BY seq");
    }

    @Test
    void nothingTheWriterWritesIsCaptured() throws Exception {
        open(MUSIC);
        db.apply(
                upsert("music_items", "i1", 100, fields("title", "Blue Train", "artist_id", "a1", "year", 1957)),
                upsert("music_items", "i2", 100, fields("title", "Giant Steps")),
                upsert("music_items", "i3", 100, fields("title", "Ballads")));
        db.apply(
                upsert("artists", "a1", 90, fields("name", "John Coltrane")), // fills no placeholder of items
                upsert("music_items", "i1", 101, fields("title", "Blue Train (remastered)", "artist_id", "a1")),
                upsert("music_items", "i1", 99, fields("title", "stale")),
                delete("music_items", "i2", 200));
        // A delete whose version is not above the row's: only deleted and synced_at change
        db.apply(delete("music_items", "i3", 50));
        new TombstonePurger(db.database, db.catalog, 100).purgeOlderThan(Instant.now().plusSeconds(60));

        assertThat(db.query("SELECT external_id, deleted FROM music_items ORDER BY external_id"))
                .as("the writes happened").containsExactly(Map.of("external_id", "i1", "deleted", 0L));
        assertThat(changelog()).isEmpty();
    }

    /**
     * A writer delete whose version is not above the row's changes only {@code deleted} and {@code synced_at}. With
     * the clock standing still every batch falls in the same tick: the stamps must still differ, or the delete
     * would be taken for the application's and sent back to the source (it once was, in one CI run of 2026-12-07).
     */
    @Test
    void aStaleWriterDeleteInTheSameClockTickAsTheRowsLastWriteIsNotCaptured() throws Exception {
        open(MUSIC, Clock.fixed(Instant.parse("2026-12-07T02:00:00.123Z"), ZoneOffset.UTC));
        db.apply(upsert("music_items", "i1", 100, fields("title", "Blue Train")));
        db.apply(upsert("music_items", "i1", 101, fields("title", "Blue Train (remastered)")));
        db.apply(delete("music_items", "i1", 50));

        assertThat(db.query("SELECT deleted, source_version FROM music_items WHERE external_id = 'i1'"))
                .as("the delete happened, the version stayed").containsExactly(
                        Map.of("deleted", 1L, "source_version", 101L));
        assertThat(changelog()).isEmpty();
    }

    @Test
    void theApplicationsInsertUpdateSoftAndHardDeleteAreCapturedWithBaseVersionAndFields() throws Exception {
        open(MUSIC);
        db.apply(upsert("artists", "a1", 90, fields("name", "John Coltrane")),
                upsert("music_items", "i1", 100, fields("title", "Blue Train", "artist_id", "a1", "year", 1957)),
                upsert("music_items", "i2", 100, fields("title", "Giant Steps")));
        long artist = db.id("artists", "a1");
        long i1 = db.id("music_items", "i1");
        long i2 = db.id("music_items", "i2");

        db.execute("INSERT INTO music_items (source_id, external_id, source_version, deleted, synced_at, title,"
                + " artist_id, year, rating) VALUES ('forum-sim', NULL, 0, 0, '2026-11-21T10:00:00.000Z', 'Olé', "
                + artist + ", 1961, 4.5)");
        long created = ((Number) db.query("SELECT id FROM music_items WHERE external_id IS NULL").get(0).get("id"))
                .longValue();
        db.execute("UPDATE music_items SET year = 1958 WHERE id = " + i1,
                "UPDATE music_items SET title = title WHERE id = " + i1, // changes nothing: not captured
                "UPDATE music_items SET deleted = 1 WHERE id = " + i2,
                "UPDATE music_items SET title = 'still deleted' WHERE id = " + i2); // a tombstone: not captured

        List<Map<String, Object>> log = changelog();
        assertThat(log).extracting(row -> row.get("op")).containsExactly("CREATE", "UPDATE", "DELETE");
        assertThat(log.get(0)).containsEntry("entity", "music_items").containsEntry("row_id", created)
                .containsEntry("source_id", "forum-sim").containsEntry("external_id", null)
                .containsEntry("base_version", 0L)
                .containsEntry("fields", "{\"title\":\"Olé\",\"artist_id\":" + artist
                        + ",\"year\":1961,\"rating\":4.5}");
        assertThat(log.get(1)).containsEntry("row_id", i1).containsEntry("external_id", "i1")
                .containsEntry("base_version", 100L)
                .containsEntry("fields", "{\"title\":\"Blue Train\",\"artist_id\":" + artist
                        + ",\"year\":1958,\"rating\":null}");
        assertThat(log.get(2)).containsEntry("row_id", i2).containsEntry("external_id", "i2")
                .containsEntry("base_version", 100L).containsEntry("fields", "{}");
        assertThat((String) log.get(0).get("changed_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        db.execute("DELETE FROM music_items WHERE id = " + i1);
        assertThat(changelog()).last().satisfies(row -> assertThat(row).containsEntry("op", "DELETE")
                .containsEntry("row_id", i1).containsEntry("external_id", "i1").containsEntry("fields", "{}"));
    }

    @Test
    void deliveryStoringTheSourcesIdAndVersionIsNotCapturedButALaterEditIs() throws Exception {
        open(MUSIC);
        db.execute("INSERT INTO music_items (source_id, source_version, deleted, synced_at, title)"
                + " VALUES ('forum-sim', 0, 0, '2026-11-21T10:00:00.000Z', 'Olé')");
        long id = ((Number) db.query("SELECT id FROM music_items").get(0).get("id")).longValue();
        db.execute("UPDATE music_items SET title = 'Olé Coltrane' WHERE id = " + id); // edited before delivery
        // what delivery writes after the source created it: its id and version
        db.execute("UPDATE music_items SET external_id = 'i9', source_version = 300 WHERE id = " + id);
        db.apply(upsert("music_items", "i9", 300, fields("title", "Olé Coltrane"))); // the change comes back: no-op
        db.apply(upsert("music_items", "i9", 301, fields("title", "Olé Coltrane"))); // touched at the source
        db.execute("DELETE FROM music_items WHERE external_id IS NULL"); // nothing: no undelivered row left

        List<Map<String, Object>> log = changelog();
        assertThat(log).extracting(row -> row.get("op")).containsExactly("CREATE", "UPDATE");
        assertThat(log.get(1)).as("an edit of a row the source does not know yet has no external id")
                .containsEntry("external_id", null).containsEntry("base_version", 0L);
    }

    @Test
    void triggersFollowAddedColumnsAndTheChangelogSurvivesRestarts() throws Exception {
        open(MUSIC);
        db.apply(upsert("music_items", "i1", 100, fields("title", "Blue Train")));
        db.execute("UPDATE music_items SET title = 'A' WHERE external_id = 'i1'");

        List<Entity> withLabel = List.of(MUSIC.get(0), new Entity("music_items", List.of(
                new Field("title", "text", true, null),
                new Field("artist_id", "reference", false, "artists"),
                new Field("year", "integer", false, null),
                new Field("rating", "number", false, null),
                new Field("label", "text", false, null)), true));
        assertThat(open(withLabel).addedColumns()).containsExactly("music_items.label");
        db.execute("UPDATE music_items SET label = 'Blue Note' WHERE external_id = 'i1'");

        assertThat(changelog()).extracting(row -> row.get("fields")).containsExactly(
                "{\"title\":\"A\",\"artist_id\":null,\"year\":null,\"rating\":null}",
                "{\"title\":\"A\",\"artist_id\":null,\"year\":null,\"rating\":null,\"label\":\"Blue Note\"}");
        assertThat(changelog()).extracting(row -> row.get("seq")).containsExactly(1L, 2L);
    }

    @Test
    void aSequenceNumberIsNeverReusedAfterAPurge() throws Exception {
        open(MUSIC);
        db.execute("INSERT INTO music_items (source_id, source_version, deleted, synced_at, title)"
                + " VALUES ('forum-sim', 0, 0, '2026-11-21T10:00:00.000Z', 'x')");
        db.execute("DELETE FROM tributary_changelog");
        db.execute("INSERT INTO music_items (source_id, source_version, deleted, synced_at, title)"
                + " VALUES ('forum-sim', 0, 0, '2026-11-21T10:00:00.000Z', 'y')");
        assertThat(changelog()).extracting(row -> row.get("seq")).containsExactly(2L);
    }

    @Test
    void aOneWayTableOnSqliteCannotBecomeTwoWayInPlace() throws Exception {
        List<Entity> oneWay = List.of(new Entity("music_items", List.of(new Field("title", "text", true, null))));
        open(oneWay);
        List<Entity> twoWay = List.of(new Entity("music_items", List.of(new Field("title", "text", true, null)), true));
        assertThatThrownBy(() -> open(twoWay))
                .hasMessageContaining("Entity 'music_items' is configured two-way, but its table was created one-way,"
                        + " with external_id NOT NULL, and SQLite cannot drop a NOT NULL constraint in place");
    }
}
