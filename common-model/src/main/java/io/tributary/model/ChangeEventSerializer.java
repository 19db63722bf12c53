package io.tributary.model;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer of {@link ChangeEvent} values (JSON, see {@link ChangeEventJson}). */
public class ChangeEventSerializer implements Serializer<ChangeEvent> {

    @Override
    public byte[] serialize(String topic, ChangeEvent event) {
        return event == null ? null : ChangeEventJson.write(event);
    }
}
