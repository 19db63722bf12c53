package io.tributary.model.outbound;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One change the application made to a row of a two-way entity in the main database, captured from the
 * database's own log (the SQLite changelog table, or PostgreSQL's WAL through Debezium) and published on
 * {@link OutboundTopics#forEntity}. Changes Tributary's writer made itself are never captured: the capture
 * recognises them by the row's {@code source_version} or {@code external_id} changing in the same write,
 * which only the writer does. That is what keeps two-way sync free of echoes.
 *
 * @param schemaVersion envelope version, {@link #SCHEMA_VERSION}
 * @param changeId      deterministic id of this captured change (see {@link #deterministicId}); sent as the
 *                      idempotency key where the source's API takes one
 * @param sourceId      the two-way source the row belongs to ({@code source_id} column)
 * @param entity        the entity (table) name
 * @param localId       the row's primary key in the main database ({@code id}); stable before and after the
 *                      source assigns an external id
 * @param externalId    the row's id at the source when the change was captured; {@code null} for a create, and
 *                      for an update or delete of a row whose create was not delivered yet (edited or deleted
 *                      right after it was created): that change follows its CREATE on the same key, so delivery
 *                      takes the external id the CREATE's delivery stored on the row ({@code localId}); if there
 *                      is none (the create was refused), the change cannot be delivered either (decision 0024)
 * @param op            create, update or delete
 * @param baseVersion   the row's {@code source_version} when the application changed it: the last source
 *                      version this row was synced from, {@code 0} for a local create. Delivery compares it
 *                      with the source's current version to detect a conflict.
 * @param changedAt     when the database committed the change
 * @param position      the capture position (changelog sequence or log sequence number), increasing per
 *                      capture stream; part of the change id
 * @param fields        the row's configured fields after the change (column name to value); empty for a
 *                      delete
 */
public record LocalChange(
        int schemaVersion,
        String changeId,
        String sourceId,
        String entity,
        long localId,
        @Nullable String externalId,
        LocalOperation op,
        long baseVersion,
        Instant changedAt,
        long position,
        Map<String, @Nullable Object> fields) {

    public static final int SCHEMA_VERSION = 1;

    public LocalChange {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("Unsupported local change schemaVersion " + schemaVersion
                    + " (this build reads " + SCHEMA_VERSION + ")");
        }
        if (changeId == null || changeId.isBlank()) {
            throw new IllegalArgumentException("changeId must not be blank");
        }
        new ChangeKey(sourceId, "x"); // validates the source id with the change events' own rule
        requireEntity(entity);
        if (externalId != null) {
            new ChangeKey(sourceId, externalId);
        }
        Objects.requireNonNull(op, "op must not be null");
        if (baseVersion < 0) {
            throw new IllegalArgumentException("baseVersion must be >= 0, was " + baseVersion);
        }
        Objects.requireNonNull(changedAt, "changedAt must not be null");
        Objects.requireNonNull(fields, "fields must not be null (use an empty map)");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); // values may be null (a cleared column)
    }

    /** A change with its deterministic id. */
    public static LocalChange of(String sourceId, String entity, long localId, @Nullable String externalId,
            LocalOperation op, long baseVersion, Instant changedAt, long position,
            Map<String, @Nullable Object> fields) {
        return new LocalChange(SCHEMA_VERSION, deterministicId(sourceId, entity, localId, op, position), sourceId,
                entity, localId, externalId, op, baseVersion, changedAt, position, fields);
    }

    /** A name-based UUID of (source, entity, local id, op, position): the same captured change, the same id. */
    public static String deterministicId(String sourceId, String entity, long localId, LocalOperation op,
            long position) {
        String name = "local" + '\u0000' + sourceId + '\u0000' + entity + '\u0000' + localId + '\u0000' + op
                + '\u0000' + position;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The Kafka key: {@code sourceId:localId}. */
    public String key() {
        return sourceId + ':' + localId;
    }

    public String topic() {
        return OutboundTopics.forEntity(entity);
    }

    static void requireEntity(String entity) {
        if (entity == null || !ChangeEvent.ENTITY_PATTERN.matcher(entity).matches()) {
            throw new IllegalArgumentException("entity '" + entity + "' must match " + ChangeEvent.ENTITY_PATTERN);
        }
    }
}
