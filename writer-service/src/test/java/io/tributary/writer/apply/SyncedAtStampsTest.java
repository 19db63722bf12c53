package io.tributary.writer.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncedAtStampsTest {

    @Test
    void aClockStandingStillStillGivesStrictlyIncreasingStamps() {
        SyncedAtStamps stamps = new SyncedAtStamps(Clock.fixed(Instant.parse("2026-12-07T02:00:00.123Z"),
                ZoneOffset.UTC));

        assertThat(List.of(stamps.next(), stamps.next(), stamps.next())).containsExactly(
                "2026-12-07T02:00:00.123000Z", "2026-12-07T02:00:00.123001Z", "2026-12-07T02:00:00.123002Z");
    }

    @Test
    void stampsFollowTheClockAndNeverGoBackWhenItDoes() {
        List<Instant> ticks = new ArrayList<>(List.of(Instant.parse("2026-12-07T02:00:00.999999500Z"),
                Instant.parse("2026-12-07T02:00:01.5Z"), Instant.parse("2026-12-07T01:59:00Z")));
        SyncedAtStamps stamps = new SyncedAtStamps(new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return ticks.remove(0);
            }
        });

        assertThat(List.of(stamps.next(), stamps.next(), stamps.next())).containsExactly(
                "2026-12-07T02:00:00.999999Z", "2026-12-07T02:00:01.500000Z", "2026-12-07T02:00:01.500001Z");
    }

    @Test
    void stampsSortAsTextInTimeOrder() {
        SyncedAtStamps stamps = new SyncedAtStamps(Clock.systemUTC());
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            taken.add(stamps.next());
        }
        assertThat(taken).isSorted().doesNotHaveDuplicates();
    }
}
