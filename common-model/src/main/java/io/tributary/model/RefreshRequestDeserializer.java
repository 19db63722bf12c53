package io.tributary.model;

import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Kafka deserializer of {@link RefreshRequest} values. Throws a Kafka {@link SerializationException}
 * naming the problem for bytes that are not a valid request (wrap it in spring-kafka's
 * {@code ErrorHandlingDeserializer} so such a record is skipped or dead-lettered, not retried forever).
 */
public class RefreshRequestDeserializer implements Deserializer<RefreshRequest> {

    @Override
    public RefreshRequest deserialize(String topic, byte[] data) {
        if (data == null) {
            throw new SerializationException("Refresh request on " + topic + " has no value (null)");
        }
        try {
            JsonNode node = RefreshRequestSerializer.MAPPER.readTree(data);
            if (node == null || !node.isObject()) {
                throw new SerializationException("Refresh request must be a JSON object");
            }
            return new RefreshRequest(text(node, "sourceId"), text(node, "entity"), text(node, "externalId"),
                    Instant.parse(text(node, "requestedAt")), Origin.valueOf(text(node, "origin")),
                    text(node, "reason"));
        } catch (JacksonException e) {
            throw new SerializationException("Refresh request is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new SerializationException("Invalid refresh request: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new SerializationException("Refresh request field '" + field + "' is missing or not a string");
        }
        return value.stringValue();
    }
}
