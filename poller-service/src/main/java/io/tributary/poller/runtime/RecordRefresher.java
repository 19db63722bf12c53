package io.tributary.poller.runtime;

import io.tributary.model.ChangeEvent;
import io.tributary.model.RefreshRequest;

/**
 * Reads one record of a source again, for a {@link RefreshRequest}: the extension point a
 * {@link SourceKind} implements when its source can answer for a single record
 * ({@link SourceKind#refresher}). Blocking; called from the refresh consumer's threads.
 */
public interface RecordRefresher {

    /**
     * The record's current state at the source as an event of the request's origin: an UPSERT of its
     * current version, or a DELETE if the source no longer has it. Throws when the source cannot answer
     * (after the kind's own retries); the caller retries a few times and then leaves it to polling.
     */
    ChangeEvent refresh(RefreshRequest request);
}
