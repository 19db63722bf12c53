package io.tributary.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The normalized change event: one observed version of one record of one source.
 *
 * <p>{@code sourceVersion} is monotonic per record at the source (the forum's {@code updated_at} in epoch
 * milliseconds, a log position for CDC). The writer applies an upsert only when its version is newer than
 * the stored one, which makes every delivery order and every duplicate safe.
 *
 * <p>{@code eventId} is deterministic: the same version of the same record observed twice (a re-poll, a
 * webhook and a poll) yields the same id, so it doubles as an idempotency key.
 *
 * @param schemaVersion envelope version, {@link #SCHEMA_VERSION} for events written by this code
 * @param eventId       deterministic id, see {@link #deterministicId}
 * @param sourceId      the configured source, e.g. {@code forum-sim}
 * @param entity        the entity kind, e.g. {@code messages}; names the topic
 * @param externalId    the record's id at the source, opaque
 * @param op            upsert or delete
 * @param sourceVersion monotonic version of the record at the source, {@code >= 0}
 * @param observedAt    when Tributary observed this version
 * @param origin        which path observed it
 * @param payload       normalized fields (references as external ids); empty for a delete
 */
public record ChangeEvent(
        int schemaVersion,
        String eventId,
        String sourceId,
        String entity,
        String externalId,
        Operation op,
        long sourceVersion,
        Instant observedAt,
        Origin origin,
        Map<String, Object> payload) {

    public static final int SCHEMA_VERSION = 1;
    /** Lower-case letters, digits, '-' and '_'; no ':' so that {@link ChangeKey} stays unambiguous. */
    public static final Pattern SOURCE_ID_PATTERN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** Lower-case identifier; it becomes part of a topic name and of a table name. */
    public static final Pattern ENTITY_PATTERN = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    public static final int MAX_EXTERNAL_ID_LENGTH = 512;

    public ChangeEvent {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("Unsupported envelope schemaVersion " + schemaVersion
                    + " (this build reads " + SCHEMA_VERSION + ")");
        }
        requireText(eventId, "eventId");
        requireSourceId(sourceId);
        requireEntity(entity);
        requireExternalId(externalId);
        Objects.requireNonNull(op, "op must not be null");
        if (sourceVersion < 0) {
            throw new IllegalArgumentException("sourceVersion must be >= 0, was " + sourceVersion);
        }
        Objects.requireNonNull(observedAt, "observedAt must not be null");
        Objects.requireNonNull(origin, "origin must not be null");
        Objects.requireNonNull(payload, "payload must not be null (use an empty map)");
        // Map.copyOf rejects null values, and a payload field may be null (a top-level message's parent_id).
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }

    /** An event with its deterministic id computed from what identifies the observed version. */
    public static ChangeEvent of(String sourceId, String entity, String externalId, Operation op,
            long sourceVersion, Instant observedAt, Origin origin, Map<String, Object> payload) {
        return new ChangeEvent(SCHEMA_VERSION, deterministicId(sourceId, entity, externalId, op, sourceVersion),
                sourceId, entity, externalId, op, sourceVersion, observedAt, origin, payload);
    }

    /** A name-based UUID of (source, entity, external id, op, version): equal inputs, equal ids. */
    public static String deterministicId(String sourceId, String entity, String externalId, Operation op,
            long sourceVersion) {
        String name = sourceId + '\u0000' + entity + '\u0000' + externalId + '\u0000' + op + '\u0000' + sourceVersion;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public ChangeKey key() {
        return new ChangeKey(sourceId, externalId);
    }

    public String topic() {
        return ChangeTopics.forEntity(entity);
    }

    static void requireSourceId(String sourceId) {
        if (!isSourceId(sourceId)) {
            throw new IllegalArgumentException("sourceId '" + sourceId + "' must match " + SOURCE_ID_PATTERN);
        }
    }

    static void requireEntity(String entity) {
        if (!isEntity(entity)) {
            throw new IllegalArgumentException("entity '" + entity + "' must match " + ENTITY_PATTERN);
        }
    }

    /**
     * {@link #SOURCE_ID_PATTERN}, written out: checked two or three times per event (envelope, key, topic), where a
     * regex matcher per check was 5% of the poller's and the writer's allocations (docs/benchmarks.md, 2026-12-07).
     */
    static boolean isSourceId(String s) {
        if (s == null || s.isEmpty() || s.length() > 63 || !isLowerOrDigit(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isLowerOrDigit(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** {@link #ENTITY_PATTERN}, written out (see {@link #isSourceId}). */
    static boolean isEntity(String s) {
        if (s == null || s.isEmpty() || s.length() > 63 || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isLowerOrDigit(c) && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    static void requireExternalId(String externalId) {
        requireText(externalId, "externalId");
        if (externalId.length() > MAX_EXTERNAL_ID_LENGTH) {
            throw new IllegalArgumentException("externalId is " + externalId.length()
                    + " characters long, more than " + MAX_EXTERNAL_ID_LENGTH);
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }
}
