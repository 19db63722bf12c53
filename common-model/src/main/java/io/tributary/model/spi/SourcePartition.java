package io.tributary.model.spi;

import io.tributary.model.ChangeTopics;

/**
 * One independently checkpointed stream of a source: a source id and an entity, e.g.
 * {@code (forum-sim, messages)}. Like a Kafka Connect source partition.
 */
public record SourcePartition(String sourceId, String entity) {

    public SourcePartition {
        // Validates both names with the envelope's rules.
        ChangeTopics.forEntity(entity);
        new io.tributary.model.ChangeKey(sourceId, "-");
    }

    /** The checkpoint key, {@code sourceId/entity}. */
    public String encode() {
        return sourceId + '/' + entity;
    }

    @Override
    public String toString() {
        return encode();
    }
}
