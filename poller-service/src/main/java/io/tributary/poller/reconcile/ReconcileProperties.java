package io.tributary.poller.reconcile;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code tributary.poller.reconcile.*}.
 *
 * @param writerUrl     the writer service's base URL (its {@code /inventory} endpoints); unset = reconciliation
 *                      and verify are off (the endpoints answer 503 saying so)
 * @param interval      pause between two scheduled reconciliations of every source and entity; 0 = only on demand
 * @param initialDelay  pause before the first scheduled one
 * @param buckets       hash buckets of a digest: more buckets, fewer records compared one by one per differing bucket
 * @param settle        changes younger than this (by their source version) are "in flight", not drift: the
 *                      pipeline may not have delivered them yet
 * @param memoryRecords records of the first scan kept in memory so that drift needs no second scan; a larger
 *                      entity is scanned a second time, for the differing buckets only (about 100 bytes a record)
 * @param sampleSize    ids listed per kind of drift in a report
 * @param writerTimeout bound of one request to the writer
 */
@ConfigurationProperties("tributary.poller.reconcile")
@Validated
public record ReconcileProperties(
        @Nullable URI writerUrl,
        @DefaultValue("1h") Duration interval,
        @DefaultValue("5m") Duration initialDelay,
        @DefaultValue("1024") @Min(1) @Max(65536) int buckets,
        @DefaultValue("30s") Duration settle,
        @DefaultValue("200000") @Min(0) int memoryRecords,
        @DefaultValue("10") @Min(0) @Max(1000) int sampleSize,
        @DefaultValue("5m") Duration writerTimeout) {

    public ReconcileProperties {
        if (interval.isNegative() || initialDelay.isNegative() || settle.isNegative()) {
            throw new IllegalArgumentException("tributary.poller.reconcile: interval, initial-delay and settle must not be"
                    + " negative (were " + interval + ", " + initialDelay + ", " + settle + ")");
        }
        if (writerTimeout.isNegative() || writerTimeout.isZero()) {
            throw new IllegalArgumentException("tributary.poller.reconcile.writer-timeout must be positive, was "
                    + writerTimeout);
        }
        if (writerUrl != null && (writerUrl.getScheme() == null || writerUrl.getHost() == null)) {
            throw new IllegalArgumentException("tributary.poller.reconcile.writer-url must be an absolute http(s) URL, was '"
                    + writerUrl + "'");
        }
    }

    boolean enabled() {
        return writerUrl != null;
    }
}
