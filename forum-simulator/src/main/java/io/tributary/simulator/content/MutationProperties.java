package io.tributary.simulator.content;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Background mutations: when enabled, {@code ratePerSecond} operations per second, each chosen by the
 * {@code mix} weights: create one record, update one record, delete one record, or bulk-update
 * {@code bulkSize} records of one collection sharing one {@code updated_at}.
 */
@Validated
@ConfigurationProperties("forum-simulator.mutations")
record MutationProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("20") @Positive double ratePerSecond,
        @DefaultValue @Valid Mix mix,
        @DefaultValue("250") @Min(1) @Max(100_000) int bulkSize) {

    MutationProperties {
        if (mix.total() <= 0) {
            throw new IllegalArgumentException("forum-simulator.mutations.mix weights must not all be 0");
        }
    }

    /** Relative weights of the operations. */
    record Mix(
            @DefaultValue("50") @Min(0) int create,
            @DefaultValue("35") @Min(0) int update,
            @DefaultValue("10") @Min(0) int delete,
            @DefaultValue("5") @Min(0) int bulk) {

        int total() {
            return create + update + delete + bulk;
        }
    }
}
