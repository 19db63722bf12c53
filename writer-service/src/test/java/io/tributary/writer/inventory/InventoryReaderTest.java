package io.tributary.writer.inventory;

import static io.tributary.writer.TestEvents.delete;
import static io.tributary.writer.TestEvents.topic;
import static io.tributary.writer.TestEvents.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.model.inventory.InventoryDigest;
import io.tributary.model.inventory.InventoryEntry;
import io.tributary.writer.WriterDbFixture;
import java.nio.file.Path;
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
}
