package io.tributary.writer.inventory;

import static io.tributary.writer.TestEvents.delete;
import static io.tributary.writer.TestEvents.fields;
import static io.tributary.writer.TestEvents.topic;
import static io.tributary.writer.TestEvents.upsert;
import static io.tributary.writer.TestEvents.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.model.inventory.InventoryDigest;
import io.tributary.model.inventory.InventoryEntry;
import io.tributary.writer.WriterDbFixture;
import io.tributary.writer.dialect.WriterDatabaseProperties;
import io.tributary.writer.dialect.sqlite.SqliteDialect;
import io.tributary.writer.entity.ConfiguredEntitiesProperties;
import io.tributary.writer.entity.ConfiguredEntitiesProperties.Entity;
import io.tributary.writer.entity.ConfiguredEntitiesProperties.Field;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.schema.EntityTables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryReaderTest {

    @TempDir
    Path dir;

    private WriterDbFixture db;
    private InventoryReader reader;

    @BeforeEach
    void open() {
        db = WriterDbFixture.sqlite(dir);
        reader = new InventoryReader(db.database.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void liveRowsAndPlaceholdersAreTheInventoryTombstonesAreNot() throws Exception {
        db.apply(user("u1", 100, "Ann"), user("u2", 200, "Bo"), user("u3", 300, "Cy"), delete("users", "u3", 301),
                // u9 is only referenced: a placeholder at version 0
                topic("t1", 400, "s1", "u9", "Hello"));

        InventoryDigest expected = InventoryDigest.empty(8);
        expected.add("u1", 100);
        expected.add("u2", 200);
        expected.add("u9", 0);

        InventoryDigest digest = reader.digest(db.catalog.get("users"), "forum-sim", 8);

        assertThat(digest).isEqualTo(expected);
        assertThat(reader.digest(db.catalog.get("users"), "another-source", 8).total()).isZero();
    }

    @Test
    void entriesAreThoseOfTheAskedBucketsOnly() throws Exception {
        db.apply(user("u1", 100, "Ann"), user("u2", 200, "Bo"), user("u3", 300, "Cy"), user("u4", 400, "Di"));
        int buckets = 4;
        int bucket = InventoryDigest.bucketOf("u2", buckets);
        List<InventoryEntry> all = List.of(new InventoryEntry("u1", 100), new InventoryEntry("u2", 200),
                new InventoryEntry("u3", 300), new InventoryEntry("u4", 400));

        List<InventoryEntry> entries = reader.entries(db.catalog.get("users"), "forum-sim", buckets, Set.of(bucket));

        assertThat(entries).containsExactlyInAnyOrderElementsOf(
                all.stream().filter(e -> e.bucket(buckets) == bucket).toList());
        assertThat(entries).contains(new InventoryEntry("u2", 200));
    }

    /** A two-way table holds the application's creates without an external id until delivery: not at the source. */
    @Test
    void rowsOfATwoWayTableWithoutAnExternalIdAreNotInTheInventory() throws Exception {
        var configured = new ConfiguredEntitiesProperties(List.of(
                new Entity("music_items", List.of(
                        new Field("name", "text", false, null)), true)));
        WriterDbFixture music = new WriterDbFixture(WriterDatabaseProperties.sqlite(
                dir.resolve("music.db"), Duration.ofSeconds(5)), new SqliteDialect(),
                EntityCatalog.forum().with(configured.definitions()));
        try (music) {
            new EntityTables(music.database.dataSource(), music.database.dialect())
                    .evolve(configured.definitions(), configured.twoWayEntities());
            music.apply(upsert("music_items", "mu-1", 100,
                    fields("name", "Synced")));
            music.execute("INSERT INTO music_items (source_id, external_id, source_version, deleted, synced_at, name)"
                    + " VALUES ('forum-sim', NULL, 0, 0, '2026-11-22T10:00:00Z', 'Created here, not delivered yet')");
            InventoryReader musicReader = new InventoryReader(music.database.dataSource());
            InventoryDigest expected = InventoryDigest.empty(4);
            expected.add("mu-1", 100);

            assertThat(musicReader.digest(music.catalog.get("music_items"), "forum-sim", 4)).isEqualTo(expected);
            assertThat(musicReader.entries(music.catalog.get("music_items"), "forum-sim", 4, Set.of(0, 1, 2, 3)))
                    .containsExactly(new InventoryEntry("mu-1", 100));
        }
    }
}
