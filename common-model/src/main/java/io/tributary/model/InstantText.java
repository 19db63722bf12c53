package io.tributary.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * ISO-8601 instants as text, exactly as {@link Instant#parse} reads them and {@link Instant#toString} writes them,
 * without {@code DateTimeFormatter} for the shape every producer in practice uses ({@code 2026-01-31T12:34:56Z},
 * optionally with 1–9 fraction digits, years 0000–9999). The envelope's {@code observedAt} and a forum record's
 * {@code updated_at} are read or written once per record on every path, and the JDK's formatter was 5–7% of the
 * poller's CPU (docs/benchmarks.md, 2026-12-07). Anything outside that shape (offsets, lower case, {@code 24:00},
 * leap seconds, other years) goes to the JDK, so the result is always the JDK's.
 */
public final class InstantText {

    private static final long SECONDS_PER_DAY = 86_400;
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the years {@link #format} writes itself. */
    private static final long MIN_FAST_SECOND = -62_167_219_200L;
    private static final long MAX_FAST_SECOND = 253_402_300_800L;
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private InstantText() {
    }

    /**
     * As {@link Instant#parse}: the instant, or {@link DateTimeParseException} for a text that is not one.
     */
    public static Instant parse(CharSequence text) {
        Instant fast = fastParse(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** As {@link Instant#toString}. */
    public static String format(Instant instant) {
        long second = instant.getEpochSecond();
        if (second < MIN_FAST_SECOND || second >= MAX_FAST_SECOND) {
            return instant.toString();
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        char[] out = new char[30];
        put(out, 0, time.getYear(), 4);
        out[4] = '-';
        put(out, 5, time.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, time.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, time.getHour(), 2);
        out[13] = ':';
        put(out, 14, time.getMinute(), 2);
        out[16] = ':';
        put(out, 17, time.getSecond(), 2);
        int length = 19;
        int nano = instant.getNano();
        if (nano > 0) {
            // As ISO_INSTANT: the fraction in groups of three digits, as many groups as it needs.
            out[length++] = '.';
            if (nano % 1_000_000 == 0) {
                put(out, length, nano / 1_000_000, 3);
                length += 3;
            } else if (nano % 1_000 == 0) {
                put(out, length, nano / 1_000, 6);
                length += 6;
            } else {
                put(out, length, nano, 9);
                length += 9;
            }
        }
        out[length++] = 'Z';
        return new String(out, 0, length);
    }

    /** The instant when {@code s} has the common shape and is valid; null to leave the text to the JDK. */
    static @Nullable Instant fastParse(CharSequence s) {
        int length = s.length();
        if (length < 20 || length > 30 || s.charAt(length - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0
                || hour > 23 || minute > 59 || second > 59 || month < 1 || month > 12 || day < 1) {
            return null; // not a digit, 24:00, a leap second, or invalid: the JDK decides (and names the problem)
        }
        int nano = 0;
        if (length > 20) {
            int fraction = length - 21; // '.' and 1 to 9 digits before the 'Z'
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int value = digits(s, 20, fraction);
            if (value < 0) {
                return null;
            }
            nano = value * POWERS[9 - fraction];
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // 31 April, 29 February of a common year
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3_600L + minute * 60L + second, nano);
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(CharSequence s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void put(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
