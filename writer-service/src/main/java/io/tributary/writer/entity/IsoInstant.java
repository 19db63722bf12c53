package io.tributary.writer.entity;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Whether a payload text is an ISO-8601 instant, as {@link Instant#parse} decides, decided cheaply for the shape
 * every source in practice sends ({@code 2026-01-31T12:34:56Z}, optionally with 1–9 fraction digits): the
 * writer checks two or three timestamps per event, and {@code Instant.parse} was a tenth of its Java time
 * (docs/benchmarks.md). Anything outside that shape (offsets, lower case, {@code 24:00}, leap seconds, years
 * beyond 9999) is left to {@code Instant.parse}, so the answer is always the JDK's.
 */
final class IsoInstant {

    private IsoInstant() {
    }

    static boolean isValid(String text) {
        int fast = fastPath(text);
        if (fast >= 0) {
            return fast == 1;
        }
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** 1 = valid, 0 = invalid, -1 = not the common shape (ask the JDK). */
    static int fastPath(String s) {
        int length = s.length();
        if (length < 20 || length > 30 || s.charAt(length - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return -1;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return -1;
        }
        if (length > 20) {
            // A fraction: '.' and 1 to 9 digits before the 'Z'.
            int fraction = length - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9 || digits(s, 20, fraction) < 0) {
                return -1;
            }
        }
        if (hour > 23 || second > 59) {
            return -1; // 24:00:00 and leap seconds have rules of their own: the JDK's
        }
        if (minute > 59 || month < 1 || month > 12 || day < 1) {
            return 0;
        }
        try {
            LocalDate.of(year, month, day);
            return 1;
        } catch (DateTimeException e) {
            return 0;
        }
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String s, int from, int count) {
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
}
