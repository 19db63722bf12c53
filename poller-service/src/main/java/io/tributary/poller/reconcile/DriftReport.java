package io.tributary.poller.reconcile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one verify or reconciliation of one source's entity found. Drift is counted in three kinds:
 * <em>missing</em> (the source has it, the main DB has no live row), <em>extra</em> (a live row the source
 * does not have: usually a delete whose webhook was lost) and <em>stale</em> (the main DB holds an older
 * version). Differences caused by changes younger than the settle time are <em>in flight</em>, not drift.
 *
 * @param source            the source id
 * @param entity            the entity
 * @param mode              {@code verify} (report only) or {@code reconcile} (report and repair)
 * @param startedAt         when the run began
 * @param finishedAt        when it ended
 * @param complete          whether the source scan and the main-DB reads completed (if not: no drift is
 *                          claimed, nothing was repaired, and {@code error} says why)
 * @param sourceRecords     distinct records the source scan found (when the scan overflowed memory-records:
 *                          records visited, where a record changed during the scan counts twice)
 * @param mainDbRecords     live rows in the main DB for this source and entity
 * @param differingBuckets  buckets whose digests differed
 * @param sourceScans       complete scans of the source this run took (1, or 2 for a large entity with drift)
 * @param missing           missing records
 * @param extra             extra rows
 * @param stale             stale rows
 * @param inFlight          differences younger than the settle time
 * @param repaired          records read again at the source and published (reconcile only)
 * @param samples           up to {@code sample-size} ids of each kind
 * @param error             why the run did not complete, or null
 */
public record DriftReport(
        String source,
        String entity,
        String mode,
        Instant startedAt,
        Instant finishedAt,
        boolean complete,
        long sourceRecords,
        long mainDbRecords,
        int differingBuckets,
        int sourceScans,
        long missing,
        long extra,
        long stale,
        long inFlight,
        long repaired,
        Samples samples,
        @Nullable String error) {

    /** Sample ids per kind of drift. */
    public record Samples(List<String> missing, List<String> extra, List<String> stale) {

        public Samples {
            missing = List.copyOf(missing);
            extra = List.copyOf(extra);
            stale = List.copyOf(stale);
        }

        static Samples none() {
            return new Samples(List.of(), List.of(), List.of());
        }
    }

    /** Records in drift (missing + extra + stale). */
    @JsonProperty("drift")
    public long drift() {
        return missing + extra + stale;
    }

    static DriftReport failed(String source, String entity, String mode, Instant startedAt, Instant finishedAt,
            String error) {
        return new DriftReport(source, entity, mode, startedAt, finishedAt, false, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                Samples.none(), error);
    }
}
