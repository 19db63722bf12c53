package io.tributary.model;

import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer of {@link ChangeEvent} values. Throws {@link MalformedChangeEventException} for
 * bytes that are not a valid event; wrap it in spring-kafka's {@code ErrorHandlingDeserializer} so such
 * a record is dead-lettered instead of stopping the consumer.
 */
public class ChangeEventDeserializer implements Deserializer<ChangeEvent> {

    @Override
    public ChangeEvent deserialize(String topic, byte[] data) {
        if (data == null) {
            throw new MalformedChangeEventException("Change event on " + topic + " has no value (null)");
        }
        return ChangeEventJson.read(data);
    }
}
