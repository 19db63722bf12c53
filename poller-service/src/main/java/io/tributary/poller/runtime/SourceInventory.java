package io.tributary.poller.runtime;

import java.util.function.ObjLongConsumer;

/**
 * Lists every record a source holds now, with the version the source gives it: the extension point a
 * {@link SourceKind} implements when its source can be enumerated ({@link SourceKind#inventory}), which is
 * what reconciliation and verify compare with the main database. Blocking; called from the reconciler's
 * single thread.
 */
public interface SourceInventory {

    /**
     * Visits every record of {@code entity} the source holds, at least once, with its external id and its
     * version exactly as the change events carry them (a record that changes during the scan may be
     * visited at two versions). Must throw, rather than return, when the scan cannot complete (after the
     * kind's own retries): only a complete scan may be taken as proof that a record is gone.
     */
    void scan(String entity, ObjLongConsumer<String> visitor);
}
