package io.tributary.poller.rest.pagination;

import io.tributary.model.spi.SourceCursor;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The walker's position P = (T, lastId, n): the key {@code (updated_at, id)} of the last record processed
 * and how many records at exactly {@code T} have been passed. The listing for {@code updated_since = T}
 * starts with the records at {@code T}, so P sits at offset {@code n - 1} of it (as long as nothing
 * before P changed).
 *
 * @param updatedAt T; null before the first record (fresh start)
 * @param lastId    id of the last record processed at T; null = before every record at T
 * @param passed    n, the number of records at exactly T passed so far (0 with a null lastId)
 */
public record ListingPosition(@Nullable Instant updatedAt, @Nullable String lastId, long passed) {

    /** The beginning of the listing. */
    public static final ListingPosition START = new ListingPosition(null, null, 0);

    /**
     * Ids are compared in Unicode code point order, which is also UTF-8 byte order (SQLite's BINARY
     * collation, PostgreSQL's "C" collation, Python's string order); it equals Java's UTF-16 order for
     * every id without characters outside the Basic Multilingual Plane. The walker prefers locating its
     * last record by equality and only falls back to this order when that record has left the listing.
     */
    public static final Comparator<String> ID_ORDER = ListingPosition::compareCodePoints;

    static final String UPDATED_AT = "updated_at";
    static final String LAST_ID = "last_id";
    static final String PASSED = "passed_at_updated_at";
    private static final DateTimeFormatter MILLIS = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    public ListingPosition {
        if (passed < 0) {
            throw new IllegalArgumentException("passed must be >= 0, was " + passed);
        }
        if (updatedAt == null && (lastId != null || passed != 0)) {
            throw new IllegalArgumentException("A position without updated_at must be the start");
        }
    }

    /** Sign of {@code (updatedAt, id)} compared with this position's key (a null lastId sorts first). */
    public int compareKey(Instant rowUpdatedAt, String rowId) {
        if (updatedAt == null) {
            return 1;
        }
        int byTime = rowUpdatedAt.compareTo(updatedAt);
        if (byTime != 0 || lastId == null) {
            return byTime != 0 ? byTime : 1;
        }
        return ID_ORDER.compare(rowId, lastId);
    }

    ListingPosition withPassed(long n) {
        return new ListingPosition(updatedAt, updatedAt == null ? null : lastId, updatedAt == null ? 0 : n);
    }

    /** The durable form: {@code updated_at} (ISO-8601, milliseconds), {@code last_id}, {@code passed_at_updated_at}. */
    public SourceCursor toCursor() {
        Map<String, String> fields = new HashMap<>();
        if (updatedAt != null) {
            fields.put(UPDATED_AT, format(updatedAt));
            fields.put(PASSED, Long.toString(passed));
        }
        if (lastId != null) {
            fields.put(LAST_ID, lastId);
        }
        return new SourceCursor(fields);
    }

    /** Reads {@link #toCursor()}'s form back; rejects a cursor that is not one, naming the field. */
    public static ListingPosition fromCursor(SourceCursor cursor) {
        Map<String, String> fields = cursor.fields();
        String time = fields.get(UPDATED_AT);
        if (time == null) {
            return START;
        }
        try {
            return new ListingPosition(Instant.parse(time), fields.get(LAST_ID),
                    Long.parseLong(fields.getOrDefault(PASSED, "0")));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a listing cursor: " + cursor.sorted() + " (" + e.getMessage() + ")", e);
        }
    }

    /** ISO-8601 UTC with exactly millisecond precision, as the contract's timestamps. */
    public static String format(Instant instant) {
        return MILLIS.format(instant);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    @Override
    public String toString() {
        return updatedAt == null ? "start" : format(updatedAt) + "/" + lastId + "#" + passed;
    }
}
