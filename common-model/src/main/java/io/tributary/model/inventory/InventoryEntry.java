package io.tributary.model.inventory;

import java.util.Objects;

/**
 * One live record of an inventory: its external id and the version the holder has of it (the source's
 * version on the source side; the row's {@code source_version} on the main-database side, where 0 is a
 * placeholder row that was referenced but never seen).
 */
public record InventoryEntry(String externalId, long version) {

    public InventoryEntry {
        Objects.requireNonNull(externalId, "externalId must not be null");
    }

    /** The bucket this entry falls in, for a digest of {@code buckets} buckets. */
    public int bucket(int buckets) {
        return InventoryDigest.bucketOf(externalId, buckets);
    }
}
