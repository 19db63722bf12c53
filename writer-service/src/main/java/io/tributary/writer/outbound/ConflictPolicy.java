package io.tributary.writer.outbound;

import io.tributary.definition.Sync;
import java.time.Instant;

/**
 * Whether a local update or delete is pushed when the source changed the record too (decision 0025). A
 * conflict is a source version above the change's base version that is not the version our own previous push
 * produced. Then {@code source-wins} drops the local change, {@code local-wins} pushes it, and
 * {@code last-writer-wins} pushes it iff it was committed after the source's change — which needs versions that
 * are times (a date format in the mapping: epoch milliseconds); with {@code integer} versions (revisions) there is
 * no time to compare and it falls back to {@code source-wins}, the choice that never overwrites a change made on
 * the source.
 */
final class ConflictPolicy {

    enum Resolution { PUSH, DROP }

    private ConflictPolicy() {
    }

    static boolean isConflict(long baseVersion, long sourceVersion, long ownPushedVersion) {
        return sourceVersion > baseVersion && sourceVersion != ownPushedVersion;
    }

    static Resolution resolve(Sync.Conflict policy, Instant changedAt, long sourceVersion, boolean timeVersions) {
        return switch (policy) {
            case LOCAL_WINS -> Resolution.PUSH;
            case SOURCE_WINS -> Resolution.DROP;
            case LAST_WRITER_WINS -> timeVersions && changedAt.toEpochMilli() > sourceVersion
                    ? Resolution.PUSH : Resolution.DROP;
        };
    }
}
