package io.tributary.simulator.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The validated query of a listing: {@code updated_since} (inclusive, ISO-8601 instant, omitted = all),
 * {@code page} (>= 1, default 1), {@code per_page} (1..100, default 50).
 *
 * @param sinceMillis the smallest {@code updated_at} to list, in epoch millis (rounded up)
 */
record ListingRequest(long sinceMillis, int page, int perPage) {

    static final int DEFAULT_PER_PAGE = 50;
    static final int MAX_PER_PAGE = 100;

    /** A malformed query parameter; the message names it. */
    static final class InvalidParameter extends RuntimeException {
        InvalidParameter(String message) {
            super(message);
        }
    }

    static ListingRequest parse(Optional<String> updatedSince, Optional<String> page, Optional<String> perPage) {
        return new ListingRequest(
                updatedSince.map(ListingRequest::parseSince).orElse(Long.MIN_VALUE),
                page.map(p -> parseInt("page", p, 1, Integer.MAX_VALUE)).orElse(1),
                perPage.map(p -> parseInt("per_page", p, 1, MAX_PER_PAGE)).orElse(DEFAULT_PER_PAGE));
    }

    private static long parseSince(String raw) {
        // an unencoded '+' of an offset arrives as a space
        String value = raw.trim().replace(' ', '+');
        try {
            Instant since = Instant.parse(value);
            long millis = since.toEpochMilli();
            // updated_at >= since, with since finer than a millisecond: round up
            return since.getNano() % 1_000_000 == 0 ? millis : millis + 1;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidParameter("updated_since must be an ISO-8601 instant such as"
                    + " 2026-11-21T10:15:30.123Z, was '" + raw + "'");
        }
    }

    private static int parseInt(String name, String raw, int min, int max) {
        @Nullable Integer value = null;
        try {
            value = Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            // reported below
        }
        if (value == null || value < min || value > max) {
            throw new InvalidParameter(name + " must be an integer between " + min + " and " + max
                    + ", was '" + raw + "'");
        }
        return value;
    }
}
