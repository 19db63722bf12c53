package io.tributary.poller.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Record-by-record comparison of the source's and the main DB's entries in the buckets whose digests
 * differ. A difference is drift unless a change younger than the settle time explains it:
 * <ul>
 *   <li>only at the source: <b>missing</b>, or in flight if the source changed it within the settle time;</li>
 *   <li>only in the main DB: <b>extra</b>, or in flight if the main DB's version is younger than the scan's
 *       start minus the settle time (created or changed after the scan passed it: the scan cannot speak for it);</li>
 *   <li>older in the main DB: <b>stale</b>, or in flight if the source's version is within the settle time;</li>
 *   <li>newer in the main DB: changed at the source after the scan read it; not drift.</li>
 * </ul>
 * Versions are epoch milliseconds by the source's clock; a source clock far ahead of ours only makes more
 * differences "in flight".
 */
final class InventoryComparison {

    /** Every drifting id by kind (sorted, for stable samples), and the in-flight count. */
    record Result(List<String> missing, List<String> extra, List<String> stale, long inFlight) {

        long drift() {
            return missing.size() + extra.size() + stale.size();
        }
    }

    private InventoryComparison() {
    }

    static Result compare(Map<String, Long> source, Map<String, Long> mainDb, Instant scanStartedAt, Instant now,
            Duration settle) {
        long recentSince = now.minus(settle).toEpochMilli();
        long scanHorizon = scanStartedAt.minus(settle).toEpochMilli();
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        long inFlight = 0;
        TreeSet<String> ids = new TreeSet<>(source.keySet());
        ids.addAll(mainDb.keySet());
        for (String id : ids) {
            Long atSource = source.get(id);
            Long inDb = mainDb.get(id);
            if (inDb == null) {
                if (atSource > recentSince) {
                    inFlight++;
                } else {
                    missing.add(id);
                }
            } else if (atSource == null) {
                if (inDb > scanHorizon) {
                    inFlight++;
                } else {
                    extra.add(id);
                }
            } else if (inDb < atSource) {
                if (atSource > recentSince) {
                    inFlight++;
                } else {
                    stale.add(id);
                }
            }
        }
        return new Result(missing, extra, stale, inFlight);
    }
}
