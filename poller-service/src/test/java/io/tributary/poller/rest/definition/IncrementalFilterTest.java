package io.tributary.poller.rest.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The incremental filter's value in each format, from a high-water version minus the overlap. */
class IncrementalFilterTest {

    @ParameterizedTest
    @CsvSource({
            "iso-instant, 0, 2026-11-22T08:00:00.250Z",
            "iso-instant, 1000, 2026-11-22T08:00:00.250Z",
            "epoch-millis, 0, 1795334400250",
            "epoch-seconds, 0, 1795334400",
            "epoch-seconds, 500, 1795334400",
            "yyyy-MM-dd HH:mm:ss, 0, 2026-11-22 08:00:00"})
    void formats(String format, long overlapMillis, String expected) {
        long version = 1_795_334_400_250L + overlapMillis; // 2026-11-22T08:00:00.250Z + overlap
        IncrementalFilter filter = new IncrementalFilter("since", format, Duration.ofMillis(overlapMillis), false);
        assertThat(filter.format(filter.from(version))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"42, 42", "0, 0"})
    void revisionsAreNotShiftedByATimeOverlap(long version, String expected) {
        IncrementalFilter filter = new IncrementalFilter("rev_gt", "epoch-millis", Duration.ofSeconds(5), true);
        assertThat(filter.format(filter.from(version))).isEqualTo(expected);
    }
}
