package io.tributary.mapping.declarative;

import io.tributary.model.ChangeEvent;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import java.time.InstantSource;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A source record to an UPSERT change event through a {@link RecordMapping}: the declarative counterpart of
 * {@link io.tributary.mapping.ForumRecordNormalizer}, with the same contract (same event, same deterministic
 * id, whichever path observed the record; {@link MappingFailedException} when the record cannot be mapped).
 * Thread-safe (immutable).
 */
public final class DeclarativeNormalizer {

    private final String sourceId;
    private final String entity;
    private final Origin origin;
    private final InstantSource clock;
    private final RecordMapping mapping;

    public DeclarativeNormalizer(String sourceId, String entity, Origin origin, InstantSource clock,
            RecordMapping mapping) {
        this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
        this.entity = Objects.requireNonNull(entity, "entity");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    public ChangeEvent normalize(JsonNode record) {
        MappedRecord mapped = mapping.map(record);
        try {
            return ChangeEvent.of(sourceId, entity, mapped.externalId(), Operation.UPSERT, mapped.sourceVersion(),
                    clock.instant(), origin, mapped.payload());
        } catch (IllegalArgumentException e) {
            // the envelope's own limits (an external id past 512 characters): its messages quote no value
            throw new MappingFailedException(mapping.key(), e.getMessage());
        }
    }
}
