package io.tributary.writer.progress;

import static io.tributary.writer.TestEvents.delete;
import static io.tributary.writer.TestEvents.section;
import static io.tributary.writer.TestEvents.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.model.ChangeEvent;
import io.tributary.writer.apply.ApplyResult;
import io.tributary.writer.apply.Outcome;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EventMapper;
import io.tributary.writer.entity.RowChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriterMetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:15:30Z");
    private final EntityCatalog catalog = EntityCatalog.forum();
    private final EventMapper mapper = new EventMapper(catalog);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WriterMetrics metrics = new WriterMetrics(registry, catalog, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void freshnessIsCommitTimeMinusTheVersionTimeOfEachAppliedUpsert() {
        long now = NOW.toEpochMilli();
        List<RowChange> batch = List.of(
                mapper.map(user("u1", now - 1_500, "ann")),
                mapper.map(user("u2", now - 500, "bob")),
                mapper.map(delete("users", "u3", now - 100)));

        metrics.batchCommitted(batch, Duration.ofMillis(3), result("users", 2));

        Timer users = registry.get("tributary.writer.freshness").tag("entity", "users").timer();
        assertThat(users.count()).as("the delete has no freshness").isEqualTo(2);
        assertThat(users.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2_000.0);
        assertThat(users.max(TimeUnit.MILLISECONDS)).isEqualTo(1_500.0);
        assertThat(metrics.freshnessP99Seconds("users")).hasValueCloseTo(1.5, within(0.1));
        assertThat(metrics.freshnessP99Seconds("sections")).isEmpty();
    }

    @Test
    void versionsThatAreNoTimestampsAndReplaysOfStoredDataHaveNoFreshness() {
        long now = NOW.toEpochMilli();
        // A counter or log position as the version, and a version more than a day ahead of our clock.
        metrics.batchCommitted(List.of(mapper.map(section("s1", 42, "General")),
                mapper.map(section("s2", now + Duration.ofDays(2).toMillis(), "Future"))),
                Duration.ofMillis(1), result("sections", 2));
        // A replay: every upsert of the entity refused by the version guard.
        metrics.batchCommitted(List.of(mapper.map(user("u1", now - 60_000, "ann"))), Duration.ofMillis(1),
                new ApplyResult(List.of(new ApplyResult.Count("users", Operation.UPSERT, Outcome.STALE, 1)), 0));

        assertThat(registry.get("tributary.writer.freshness").tag("entity", "sections").timer().count()).isZero();
        assertThat(registry.get("tributary.writer.freshness").tag("entity", "users").timer().count()).isZero();
        assertThat(registry.get("tributary.writer.batch.size").summary().count()).isEqualTo(2);
        assertThat(registry.get("tributary.writer.applied").tag("entity", "users").tag("outcome", "stale")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void aCdcVersionIsALogPositionAndHasNoFreshnessEvenWhenItLooksLikeATime() {
        long now = NOW.toEpochMilli();
        ChangeEvent polled = user("u1", now - 1_000, "ann");
        ChangeEvent cdc = ChangeEvent.of(polled.sourceId(), "users", "u2", Operation.UPSERT, now - 1_000,
                polled.observedAt(), Origin.CDC, polled.payload());

        metrics.batchCommitted(List.of(mapper.map(polled), mapper.map(cdc)), Duration.ofMillis(1), result("users", 2));

        assertThat(registry.get("tributary.writer.freshness").tag("entity", "users").timer().count())
                .as("only the polled upsert is measured").isEqualTo(1);
    }

    @Test
    void aVersionIsATimeFrom2001UpToADayAhead() {
        long now = NOW.toEpochMilli();
        assertThat(WriterMetrics.isEpochMillis(now, now)).isTrue();
        assertThat(WriterMetrics.isEpochMillis(1_000_000_000_000L, now)).isTrue();
        assertThat(WriterMetrics.isEpochMillis(999_999_999_999L, now)).isFalse();
        assertThat(WriterMetrics.isEpochMillis(now + Duration.ofHours(23).toMillis(), now)).isTrue();
        assertThat(WriterMetrics.isEpochMillis(now + Duration.ofHours(25).toMillis(), now)).isFalse();
    }

    private static ApplyResult result(String entity, int applied) {
        return new ApplyResult(List.of(new ApplyResult.Count(entity, Operation.UPSERT, Outcome.APPLIED, applied)), 0);
    }
}
