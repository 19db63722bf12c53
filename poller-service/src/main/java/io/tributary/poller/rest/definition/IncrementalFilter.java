package io.tributary.poller.rest.definition;

import io.tributary.definition.EntitySource;
import io.tributary.mapping.declarative.VersionSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The incremental filter's value for a lower bound of versions: the high-water version minus the overlap,
 * written in the definition's format ({@code iso-instant}, {@code epoch-millis}, {@code epoch-seconds}
 * rounded down, a date pattern in UTC, or {@code integer} as it is for revision-numbered sources).
 */
record IncrementalFilter(String param, String format, Duration overlap, boolean revisions) {

    static IncrementalFilter of(EntitySource.Incremental incremental, VersionSpec version) {
        return new IncrementalFilter(incremental.param(), incremental.format(),
                incremental.overlap() == null ? Duration.ZERO : incremental.overlap(),
                version.format().equals(VersionSpec.INTEGER));
    }

    /** The lower bound a pass after {@code highWater} asks for (inclusive at most sources: duplicates are fine). */
    long from(long highWater) {
        long overlapUnits = revisions ? 0 : overlap.toMillis();
        return Math.max(0, highWater - overlapUnits);
    }

    String format(long version) {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "iso-instant":
                return Instant.ofEpochMilli(version).toString();
            case "epoch-millis":
            case "integer":
                return Long.toString(version);
            case "epoch-seconds":
                return Long.toString(Math.floorDiv(version, 1000));
            default:
                return DateTimeFormatter.ofPattern(format).withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(version));
        }
    }
}
