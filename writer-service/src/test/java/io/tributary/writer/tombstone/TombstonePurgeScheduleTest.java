package io.tributary.writer.tombstone;

import static io.tributary.writer.TestEvents.delete;
import static io.tributary.writer.TestEvents.section;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.writer.WriterDbFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduled purge: the retention is measured from the schedule's clock, and what it removes is counted. */
class TombstonePurgeScheduleTest {

    @TempDir
    Path dir;

    @Test
    void aRunPurgesWhatIsOlderThanTheRetentionByItsClockAndCountsItPerEntity() throws Exception {
        try (WriterDbFixture db = WriterDbFixture.sqlite(dir)) {
            db.apply(section("s-old", 1, "old"), section("s-young", 1, "young"), section("s-live", 1, "live"));
            db.apply(delete("sections", "s-old", 2), delete("sections", "s-young", 2));
            db.execute("UPDATE sections SET synced_at = '2026-11-01T00:00:00.000Z' WHERE external_id = 's-old'",
                    "UPDATE sections SET synced_at = '2026-11-20T00:00:00.000Z' WHERE external_id = 's-young'");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            TombstoneProperties properties = new TombstoneProperties(Duration.ofDays(7), Duration.ofHours(1), 1000);
            Clock clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
            TombstonePurgeSchedule schedule = new TombstonePurgeSchedule(
                    new TombstonePurger(db.database, db.catalog, properties.batchSize()), properties, db.catalog,
                    registry, clock);

            assertThat(registry.get("tributary.writer.tombstones.purged").tag("entity", "users").counter().count())
                    .as("registered at 0").isZero();
            schedule.purge();
            schedule.purge();

            assertThat(db.row("sections", "s-old")).isNull();
            assertThat(db.content("sections", "s-young")).containsEntry("deleted", 1L);
            assertThat(db.content("sections", "s-live")).containsEntry("deleted", 0L);
            assertThat(registry.get("tributary.writer.tombstones.purged").tag("entity", "sections").counter().count())
                    .isEqualTo(1.0);
        }
    }
}
