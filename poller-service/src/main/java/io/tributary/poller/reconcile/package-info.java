/**
 * Reconciliation and verify: compare what a source holds (its {@link io.tributary.poller.runtime.SourceInventory})
 * with the main database (the writer's inventory endpoints), cheaply in hash buckets and exactly only in
 * the buckets that differ; report drift as {@code tributary.verify.drift}; and, when reconciling, repair
 * each drifting record by reading it again at the source (404 → DELETE), the only way deletes whose
 * webhook was lost are ever seen. See decision 0017.
 */
@NullMarked
package io.tributary.poller.reconcile;

import org.jspecify.annotations.NullMarked;
