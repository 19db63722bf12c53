package io.tributary.poller.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the poller's {@code GET /status} answers (the writer's status page and {@code bin/tributary-status}
 * show it): every configured source with its kind, per entity the committed cursor, the last poll, the
 * totals since start, and the source's last errors, newest first.
 *
 * @param at      when this was read
 * @param sources the configured sources, in configuration order
 */
public record PollerStatus(Instant at, List<SourceStatus> sources) {

    /**
     * @param id       the source id
     * @param kind     its source kind, e.g. {@code forum-rest}
     * @param entities per entity (partition)
     * @param errors   the last few failed passes (or failed attempts to create its topics), newest first (bounded)
     * @param capture  for a two-way source: whether the application's changes to its entities are captured
     *                 ({@code captured: [music_items]}), or why not ({@code not captured: ...}, {@code waiting: ...});
     *                 null for a one-way source
     */
    public record SourceStatus(String id, String kind, Map<String, EntityStatus> entities, List<Error> errors,
            @Nullable String capture) {
    }

    /**
     * @param cursor           the cursor the partition last committed or started from (null: from the beginning)
     * @param lastPollAt       when the last pass ended (null: none yet)
     * @param lastErrorAt      when the last pass failed (null: none failed)
     * @param recordsPublished change events published and acknowledged since start
     * @param pages            batches published since start
     * @param passes           passes since start
     * @param failedPasses     passes that failed since start
     */
    public record EntityStatus(@Nullable Map<String, String> cursor, @Nullable Instant lastPollAt,
            @Nullable Instant lastErrorAt, long recordsPublished, long pages, long passes, long failedPasses) {
    }

    /** A failed pass (or a failed attempt to create the entity's topics): when, of which entity, and its message. */
    public record Error(Instant at, String entity, String message) {
    }
}
