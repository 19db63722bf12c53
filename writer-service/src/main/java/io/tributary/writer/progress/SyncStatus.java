package io.tributary.writer.progress;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What {@code GET /status} answers: per entity the rows in the main DB by state and the freshness p99,
 * the consumer lag in total ({@code -1} until the consumer has fetched) and per topic, and the records
 * dead-lettered since start.
 *
 * @param entities     per entity: {@code live} (synced), {@code placeholders} (referenced, not yet
 *                     received), {@code deleted} (tombstones), {@code freshnessP99Seconds} (null when
 *                     nothing was applied in the last few minutes or versions are not timestamps)
 * @param lag          this instance's total consumer lag, -1 before its first fetch
 * @param lagByTopic   this instance's lag per change topic it has fetched from
 * @param deadLettered records sent to dead-letter topics since start
 * @param poller       the sources as the poller reports them; null when no {@code tributary.writer.status.poller-url}
 */
record SyncStatus(Map<String, EntityRows> entities, long lag, Map<String, Long> lagByTopic, long deadLettered,
        @Nullable Poller poller) {

    SyncStatus withPoller(Poller poller) {
        return new SyncStatus(entities, lag, lagByTopic, deadLettered, poller);
    }

    record EntityRows(long live, long placeholders, long deleted, @Nullable Double freshnessP99Seconds) {
    }

    /**
     * @param url       the poller asked
     * @param reachable whether it answered in time
     * @param sources   its {@code GET /status} sources (null when unreachable)
     * @param error     why it is unreachable (null when reachable)
     */
    record Poller(String url, boolean reachable, @Nullable JsonNode sources, @Nullable String error) {
    }
}
