package io.tributary.poller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryComparisonTest {

    private static final Instant SCAN_STARTED = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant NOW = SCAN_STARTED.plusSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final long OLD = SCAN_STARTED.minusSeconds(3600).toEpochMilli();
    private static final long RECENT = NOW.minusSeconds(5).toEpochMilli();

    @Test
    void classifiesEachDifferenceOnce() {
        Map<String, Long> source = Map.of("same", OLD, "missing", OLD, "stale", OLD + 10, "newer-in-db", OLD);
        Map<String, Long> mainDb = Map.of("same", OLD, "extra", OLD, "stale", OLD, "newer-in-db", OLD + 10,
                "placeholder-gone", 0L);

        InventoryComparison.Result result = InventoryComparison.compare(source, mainDb, SCAN_STARTED, NOW, SETTLE);

        assertThat(result.missing()).containsExactly("missing");
        assertThat(result.extra()).containsExactly("extra", "placeholder-gone");
        assertThat(result.stale()).containsExactly("stale");
        assertThat(result.inFlight()).isZero();
        assertThat(result.drift()).isEqualTo(4);
    }

    @Test
    void changesYoungerThanTheSettleTimeAreInFlightNotDrift() {
        // created at the source just now; changed at the source just now; created in the main DB after the scan began
        Map<String, Long> source = Map.of("just-created", RECENT, "just-updated", RECENT);
        Map<String, Long> mainDb = Map.of("just-updated", OLD, "after-scan", SCAN_STARTED.plusSeconds(1).toEpochMilli());

        InventoryComparison.Result result = InventoryComparison.compare(source, mainDb, SCAN_STARTED, NOW, SETTLE);

        assertThat(result.drift()).isZero();
        assertThat(result.inFlight()).isEqualTo(3);
    }

    @Test
    void anExtraRowOlderThanTheScanIsDriftEvenIfTheScanWasLong() {
        long beforeScan = SCAN_STARTED.minus(SETTLE).minusMillis(1).toEpochMilli();

        InventoryComparison.Result result = InventoryComparison.compare(Map.of(), Map.of("gone", beforeScan), SCAN_STARTED,
                NOW, SETTLE);

        assertThat(result.extra()).containsExactly("gone");
    }
}
