package io.tributary.model.outbound;

import io.tributary.model.ChangeTopics;

/**
 * Topic naming for local changes: one topic per entity, {@code tributary.outbound.<entity>}, keyed by
 * {@link LocalChange#key()} (source and local row id, so a create and the updates that follow it stay in
 * order on one partition even before the source has assigned an external id), and its dead-letter topic.
 */
public final class OutboundTopics {

    public static final String PREFIX = "tributary.outbound.";

    private OutboundTopics() {
    }

    /** {@code tributary.outbound.<entity>}, e.g. {@code tributary.outbound.music_items}. */
    public static String forEntity(String entity) {
        LocalChange.requireEntity(entity);
        return PREFIX + entity;
    }

    /** {@code tributary.outbound.<entity>.dlt}: changes the source refused for good. */
    public static String deadLetterOf(String outboundTopic) {
        return outboundTopic + ChangeTopics.DEAD_LETTER_SUFFIX;
    }
}
