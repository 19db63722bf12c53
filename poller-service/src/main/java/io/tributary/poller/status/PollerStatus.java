package io.tributary.poller.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the poller's {@code GET /status} answers (the writer's status page and {@code bin/tributary-status}
 * show it, the admin API's source status too): every configured source with its kind, per entity the committed
 * cursor, the last poll, the totals since start (records published and rejected), and the source's last errors and
 * last rejected records, newest first.
 *
 * @param at      when this was read
 * @param startedAt when the poller started: the totals count from there
 * @param sources the configured sources, in configuration order, then the live ones
 * @param refused definitions of the config topic this poller refuses to run (decision 0031), by topic key
 */
public record PollerStatus(Instant at, Instant startedAt, List<SourceStatus> sources, List<Refusal> refused) {

    /**
     * @param id           the source id
     * @param kind         its source kind, e.g. {@code forum-rest}
     * @param organization the organization of a live source (from the config topic); null for a configured one
     * @param entities     per entity (partition)
     * @param errors       the last few failed passes (or failed attempts to create its topics), newest first (bounded)
     * @param rejections   the last few records that could not be mapped (dead-lettered), newest first (bounded)
     * @param capture      for a two-way source: whether the application's changes to its entities are captured
     *                     ({@code captured: [music_items]}), or why not ({@code not captured: ...},
     *                     {@code waiting: ...}); null for a one-way source
     */
    public record SourceStatus(String id, String kind, @Nullable String organization, Map<String, EntityStatus> entities,
            List<Error> errors, List<Rejection> rejections, @Nullable String capture) {
    }

    /**
     * A topic value this poller does not run: its id is taken (by a configured source, or by another organization's
     * definition read first), its definition or a credential reference is refused. A version already running may go
     * on beside it. The reason names the problem, never a secret and never another organization.
     *
     * @param key          the config topic's key, {@code <organization>/<source id>}
     * @param organization the definition's organization
     * @param sourceId     its source id
     * @param reason       why it does not run
     * @param at           when it was refused
     */
    public record Refusal(String key, String organization, String sourceId, String reason, Instant at) {
    }

    /**
     * @param cursor           the cursor the partition last committed or started from (null: from the beginning)
     * @param lastPollAt       when the last pass ended (null: none yet)
     * @param lastErrorAt      when the last pass failed (null: none failed)
     * @param recordsPublished change events published and acknowledged since start
     * @param pages            batches published since start
     * @param passes           passes since start
     * @param failedPasses     passes that failed since start
     * @param recordsRejected  records that could not be mapped and were dead-lettered since start (an unchanged record
     *                         read again by a later pass is not counted again)
     * @param lastRejectedAt   when the last one was (null: none)
     */
    public record EntityStatus(@Nullable Map<String, String> cursor, @Nullable Instant lastPollAt,
            @Nullable Instant lastErrorAt, long recordsPublished, long pages, long passes, long failedPasses,
            long recordsRejected, @Nullable Instant lastRejectedAt) {
    }

    /** A failed pass (or a failed attempt to create the entity's topics): when, of which entity, and its message. */
    public record Error(Instant at, String entity, String message) {
    }

    /**
     * A record that could not be mapped: when, of which entity, the target field and what is wrong with it, without the
     * record's values (they may be personal data; the dead letter on {@code tributary.changes.<entity>.dlt} has the
     * record and the reason with its value).
     *
     * @param fieldPath the target field, e.g. {@code tracks[1].title}; {@code $} for the record, {@code $version}
     * @param reason    e.g. {@code (from 'price') expected number, got string}
     */
    public record Rejection(Instant at, String entity, String fieldPath, String reason) {
    }
}
