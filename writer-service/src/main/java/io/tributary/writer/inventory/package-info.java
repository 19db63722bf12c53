/**
 * The main database's side of reconciliation and verify: the live rows of one source and entity as an
 * {@link io.tributary.model.inventory.InventoryDigest} and, for the buckets that differ from the source's,
 * as {@link io.tributary.model.inventory.InventoryEntry}s. The poller, which owns reading sources, asks.
 */
@NullMarked
package io.tributary.writer.inventory;

import org.jspecify.annotations.NullMarked;
