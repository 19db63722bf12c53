package io.tributary.writer.live;

/**
 * An entity of a definition the writer does not take, and why (a log line names the definition with it).
 *
 * @param entity the entity's name
 * @param reason what is wrong, naming the column and both types for a conflict
 */
record Refusal(String entity, String reason) {

    @Override
    public String toString() {
        return "entity '" + entity + "': " + reason;
    }
}
