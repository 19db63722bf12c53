package io.tributary.writer.sources;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /status/sources} answers: what this writer refused of the live definitions, and what it
 * dead-lettered per source. In memory only (no database read), so it answers at once; the admin API reads it for a
 * source's status and shows each organization its own sources' entries only.
 *
 * @param at        when this was read
 * @param startedAt when this writer started: the dead-letter counts count from there
 * @param refused   the definitions of the config topic, or their entities, this writer does not take, by topic key
 * @param sources   per source id seen in a dead-lettered event's key, its dead letters per entity
 */
public record SourcesStatus(Instant at, Instant startedAt, List<Refusal> refused, List<Source> sources) {

    /**
     * A definition version or one of its entities that the writer does not take. The reason names the problem (the
     * column and both types, the definition's problems with their paths, a secret reference and the rule), never a
     * secret and never another organization.
     *
     * @param key          the config topic's key, {@code <organization>/<source id>}
     * @param organization the definition's organization
     * @param sourceId     its source id
     * @param entity       the entity refused; null when the definition version as a whole is (the version taken
     *                     before, if any, goes on) or when its delivery of local changes is
     * @param reason       why
     * @param since        since when this refusal stands (the same refusal read again keeps its time)
     */
    public record Refusal(String key, String organization, String sourceId, @Nullable String entity, String reason,
            Instant since) {
    }

    /**
     * @param id           the source id (the part of the event keys before ':')
     * @param organization the organization whose live definition has this id now; null for a source of no live
     *                     definition (a configured one, or a deleted definition)
     * @param entities     per entity, the events dead-lettered
     */
    public record Source(String id, @Nullable String organization, Map<String, DeadLetters> entities) {
    }

    /**
     * @param deadLettered events of the source sent to {@code tributary.changes.<entity>.dlt} since start (the reason is
     *                     in each dead letter's {@code kafka_dlt-exception-message} header, not here: a database's
     *                     reason may quote a value)
     * @param lastAt       when the last one was
     */
    public record DeadLetters(long deadLettered, Instant lastAt) {
    }
}
