/**
 * The inventory contract between a source's reader (the poller) and the main database's owner (the
 * writer), for reconciliation and verify: which records exist and at which version, compared cheaply in
 * hash buckets ({@link io.tributary.model.inventory.InventoryDigest}) and exactly only in the buckets that
 * differ ({@link io.tributary.model.inventory.InventoryEntry}). Both sides must hash identically, so the
 * hashing lives here and nowhere else.
 */
@NullMarked
package io.tributary.model.inventory;

import org.jspecify.annotations.NullMarked;
