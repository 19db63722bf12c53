package io.tributary.model;

/**
 * Topic naming: one topic of change events per entity, shared by every source (the key carries the
 * source), and one dead-letter topic per entity topic.
 */
public final class ChangeTopics {

    public static final String PREFIX = "tributary.changes.";
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    private ChangeTopics() {
    }

    /** {@code tributary.changes.<entity>}, e.g. {@code tributary.changes.messages}. */
    public static String forEntity(String entity) {
        ChangeEvent.requireEntity(entity);
        return PREFIX + entity;
    }

    /** The dead-letter topic of a change topic: {@code tributary.changes.<entity>.dlt}. */
    public static String deadLetterOf(String changeTopic) {
        return changeTopic + DEAD_LETTER_SUFFIX;
    }

    /** The entity a change topic carries; rejects names that are not change topics. */
    public static String entityOf(String topic) {
        if (!topic.startsWith(PREFIX) || topic.endsWith(DEAD_LETTER_SUFFIX)) {
            throw new IllegalArgumentException("'" + topic + "' is not a change topic (" + PREFIX + "<entity>)");
        }
        String entity = topic.substring(PREFIX.length());
        ChangeEvent.requireEntity(entity);
        return entity;
    }
}
