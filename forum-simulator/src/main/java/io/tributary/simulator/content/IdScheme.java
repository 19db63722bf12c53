package io.tributary.simulator.content;

import io.tributary.simulator.store.ForumCollection;

/**
 * Opaque, random-looking ids that are unique by construction: the id of sequence number {@code n} is a
 * keyed bijective scramble of {@code n}, written in base 62 ({@code [0-9A-Za-z]}, 10 or 11 characters).
 * Ids therefore never repeat within a collection and do not sort in creation order.
 */
final class IdScheme {

    private static final char[] DIGITS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int MIN_LENGTH = 10;

    private final long[] keys = new long[ForumCollection.values().length];

    IdScheme(long seed) {
        for (ForumCollection c : ForumCollection.values()) {
            keys[c.ordinal()] = mix64(seed ^ (0x9E3779B97F4A7C15L * (c.ordinal() + 1)));
        }
    }

    String id(ForumCollection collection, long sequence) {
        long value = mix64(sequence + keys[collection.ordinal()]);
        char[] buf = new char[11];
        int pos = buf.length;
        do {
            buf[--pos] = DIGITS[(int) Long.remainderUnsigned(value, 62)];
            value = Long.divideUnsigned(value, 62);
        } while (value != 0);
        while (buf.length - pos < MIN_LENGTH) {
            buf[--pos] = '0';
        }
        return new String(buf, pos, buf.length - pos);
    }

    /** Stafford's mix13 finalizer: a bijection on 64-bit values. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
