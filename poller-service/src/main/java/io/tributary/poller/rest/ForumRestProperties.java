package io.tributary.poller.rest;

import io.tributary.poller.rest.pagination.PageRequest;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of one {@code forum-rest} source, bound from its {@code tributary.poller.sources[i]} node.
 *
 * @param baseUrl        the API's base URL; listings are {@code {base-url}/api/{collection}} (required)
 * @param perPage        the largest {@code per_page} requested, 20..100 (the walk varies it down to half)
 * @param responseTimeout bound of one request, body included; a timeout is retried
 * @param rescanWindow   how far behind a young position each pass re-reads for late arrivals; 0 = off
 * @param rescanCapacity how many recently emitted versions are remembered for the rescan
 * @param maxPageSize    the largest response body accepted
 * @param retry          retries of transient failures (429, 5xx, timeouts, connection errors)
 * @param initialWalk    how the initial sync (no committed cursor) is walked in parallel ranges
 */
record ForumRestProperties(
        @Nullable URI baseUrl,
        @DefaultValue("100") int perPage,
        @DefaultValue("30s") Duration responseTimeout,
        @DefaultValue("2s") Duration rescanWindow,
        @DefaultValue("100000") int rescanCapacity,
        @DefaultValue("32MB") DataSize maxPageSize,
        @DefaultValue Retry retry,
        @DefaultValue InitialWalk initialWalk) {

    static final int MAX_PER_PAGE = 100;

    ForumRestProperties {
        if (baseUrl == null || baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("base-url is required and must be an absolute http(s) URL, was " + baseUrl);
        }
        if (perPage < PageRequest.MIN_PER_PAGE || perPage > MAX_PER_PAGE) {
            throw new IllegalArgumentException("per-page must be between " + PageRequest.MIN_PER_PAGE + " and "
                    + MAX_PER_PAGE + " (the API answers 400 above 100), was " + perPage);
        }
        requirePositive(responseTimeout, "response-timeout");
        if (rescanWindow.isNegative()) {
            throw new IllegalArgumentException("rescan-window must be >= 0 (0 = off), was " + rescanWindow);
        }
        if (rescanCapacity < 1) {
            throw new IllegalArgumentException("rescan-capacity must be >= 1, was " + rescanCapacity);
        }
        if (maxPageSize.toBytes() < 1024 || maxPageSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("max-page-size must be between 1KB and 2GB, was " + maxPageSize);
        }
    }

    /**
     * @param maxAttempts attempts of one request in total (the first included)
     * @param minBackoff  first backoff; doubles on each retry, jittered
     * @param maxBackoff  cap of one backoff (a 429's Retry-After is waited on top of it)
     * @param jitter      jitter factor of the backoff, 0..1
     */
    record Retry(
            @DefaultValue("10") int maxAttempts,
            @DefaultValue("200ms") Duration minBackoff,
            @DefaultValue("10s") Duration maxBackoff,
            @DefaultValue("0.5") double jitter) {

        Retry {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("retry.max-attempts must be >= 1, was " + maxAttempts);
            }
            requirePositive(minBackoff, "retry.min-backoff");
            if (maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException("retry.max-backoff (" + maxBackoff + ") must be >= retry.min-backoff ("
                        + minBackoff + ")");
            }
            if (jitter < 0 || jitter > 1) {
                throw new IllegalArgumentException("retry.jitter must be between 0 and 1, was " + jitter);
            }
        }
    }

    /**
     * The initial sync's parallel walk (decision 0026): the listing is cut into {@code ranges} time ranges,
     * {@code concurrency} of them walked at once; each batch holds up to {@code batchRecords} records.
     *
     * @param ranges       time ranges of the initial walk; 1 = one walk as in every later pass
     * @param concurrency  ranges walked at once (one request in flight each)
     * @param batchRecords pages ready from several ranges are joined into one published batch until it holds
     *                     this many records or more (at most one page beyond)
     */
    record InitialWalk(
            @DefaultValue("32") int ranges,
            @DefaultValue("4") int concurrency,
            @DefaultValue("1000") int batchRecords) {

        InitialWalk {
            if (ranges < 1 || ranges > 1000) {
                throw new IllegalArgumentException("initial-walk.ranges must be between 1 and 1000, was " + ranges);
            }
            if (concurrency < 1 || concurrency > 64) {
                throw new IllegalArgumentException("initial-walk.concurrency must be between 1 and 64, was "
                        + concurrency);
            }
            if (batchRecords < 1) {
                throw new IllegalArgumentException("initial-walk.batch-records must be >= 1, was " + batchRecords);
            }
        }
    }

    private static void requirePositive(Duration duration, String property) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, was " + duration);
        }
    }
}
