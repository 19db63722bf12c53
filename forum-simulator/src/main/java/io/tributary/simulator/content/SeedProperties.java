package io.tributary.simulator.content;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The deterministic seed: the same values give the same forum, row for row.
 *
 * @param randomSeed the generator's seed (also keys the ids of later creates)
 * @param users users to generate
 * @param sections sections to generate
 * @param topics topics to generate (need sections and users)
 * @param messages messages to generate (need topics and users)
 * @param maxReplyDepth deepest reply (a top-level message has depth 0), for the seed and for mutations
 * @param reset wipe the database at start and seed again; otherwise seed only an empty database
 * @param anchor the latest instant of the generated data (fixed so that the data is reproducible)
 * @param span how far before {@code anchor} creation times spread
 */
@Validated
@ConfigurationProperties("forum-simulator.seed")
public record SeedProperties(
        @DefaultValue("42") long randomSeed,
        @DefaultValue("200") @Min(0) int users,
        @DefaultValue("10") @Min(0) int sections,
        @DefaultValue("500") @Min(0) int topics,
        @DefaultValue("3000") @Min(0) int messages,
        @DefaultValue("5") @Min(0) @Max(100) int maxReplyDepth,
        @DefaultValue("false") boolean reset,
        @DefaultValue("2026-11-01T00:00:00Z") Instant anchor,
        @DefaultValue("30d") Duration span) {

    public SeedProperties {
        if (topics > 0 && (sections == 0 || users == 0)) {
            throw new IllegalArgumentException(
                    "forum-simulator.seed.topics > 0 needs forum-simulator.seed.sections and .users > 0");
        }
        if (messages > 0 && (topics == 0 || users == 0)) {
            throw new IllegalArgumentException(
                    "forum-simulator.seed.messages > 0 needs forum-simulator.seed.topics and .users > 0");
        }
        if (span.compareTo(Duration.ofHours(2)) < 0) {
            throw new IllegalArgumentException("forum-simulator.seed.span must be at least 2h, was " + span);
        }
    }

    /** Total number of records to generate. */
    public long total() {
        return (long) users + sections + topics + messages;
    }
}
