package io.tributary.model.inventory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A summary of one entity's inventory (the set of live {@code (externalId, version)} pairs) in a fixed
 * number of buckets: per bucket, how many records fall in it and the sum of their fingerprints. Two
 * holders with the same set have equal digests; a record missing, extra or at another version changes
 * its bucket's count or sum, so comparing two digests names the few buckets worth comparing record by
 * record. The sum is order-independent, so a digest is built in one streaming pass in any order.
 *
 * <p>A record's bucket and fingerprint come from the first 8 bytes of SHA-256 of its UTF-8 id (stable
 * across JVMs, platforms and languages; ids are opaque strings, so no cheaper hash can be assumed
 * uniform), mixed with the version by a 64-bit finalizer. A changed record goes unnoticed only if its
 * bucket's sums collide, with probability about 2<sup>-64</sup> per bucket and pass.
 *
 * <p>Mutable while being built ({@link #add}); not thread-safe. Serialized as JSON with its three fields.
 *
 * @param buckets the number of buckets (1..65536)
 * @param counts  records per bucket
 * @param sums    sum of the records' fingerprints per bucket (wrapping)
 */
public record InventoryDigest(int buckets, long[] counts, long[] sums) {

    /** The most buckets a digest may have: 65,536 buckets are 1 MiB of JSON, and millions of records fit. */
    public static final int MAX_BUCKETS = 65_536;

    public InventoryDigest {
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("buckets must be between 1 and " + MAX_BUCKETS + ", was " + buckets);
        }
        if (counts.length != buckets || sums.length != buckets) {
            throw new IllegalArgumentException("a digest of " + buckets + " buckets needs " + buckets
                    + " counts and sums, had " + counts.length + " and " + sums.length);
        }
    }

    /** An empty digest of {@code buckets} buckets. */
    public static InventoryDigest empty(int buckets) {
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw new IllegalArgumentException("buckets must be between 1 and " + MAX_BUCKETS + ", was " + buckets);
        }
        return new InventoryDigest(buckets, new long[buckets], new long[buckets]);
    }

    /** Adds one record. */
    public void add(String externalId, long version) {
        long idHash = idHash(externalId);
        int bucket = bucketOf(idHash, buckets);
        counts[bucket]++;
        sums[bucket] += fingerprint(idHash, version);
    }

    /** The number of records added. */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** The buckets whose count or sum differ from {@code other}'s, in ascending order. */
    public List<Integer> differingBuckets(InventoryDigest other) {
        if (other.buckets != buckets) {
            throw new IllegalArgumentException("cannot compare a digest of " + buckets + " buckets with one of "
                    + other.buckets);
        }
        List<Integer> differing = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            if (counts[i] != other.counts[i] || sums[i] != other.sums[i]) {
                differing.add(i);
            }
        }
        return differing;
    }

    /** The bucket of an external id in a digest of {@code buckets} buckets. */
    public static int bucketOf(String externalId, int buckets) {
        return bucketOf(idHash(externalId), buckets);
    }

    private static int bucketOf(long idHash, int buckets) {
        return (int) Long.remainderUnsigned(idHash, buckets);
    }

    private static long idHash(String externalId) {
        byte[] hash = sha256().digest(externalId.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            h = (h << 8) | (hash[i] & 0xFF);
        }
        return h;
    }

    /** MurmurHash3's 64-bit finalizer over the id hash and the version: every version bit reaches every output bit. */
    private static long fingerprint(long idHash, long version) {
        long h = idHash ^ (version * 0x9E3779B97F4A7C15L);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InventoryDigest digest && digest.buckets == buckets
                && Arrays.equals(digest.counts, counts) && Arrays.equals(digest.sums, sums);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * buckets + Arrays.hashCode(counts)) + Arrays.hashCode(sums);
    }

    @Override
    public String toString() {
        return "InventoryDigest[buckets=" + buckets + ", records=" + total() + "]";
    }
}
