package io.tributary.model;

import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Kafka serializer of {@link RefreshRequest} values: a flat JSON object of its fields. */
public class RefreshRequestSerializer implements Serializer<RefreshRequest> {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Override
    public byte[] serialize(String topic, RefreshRequest request) {
        if (request == null) {
            return null;
        }
        ObjectNode node = MAPPER.createObjectNode();
        node.put("sourceId", request.sourceId());
        node.put("entity", request.entity());
        node.put("externalId", request.externalId());
        node.put("requestedAt", request.requestedAt().toString());
        node.put("origin", request.origin().name());
        node.put("reason", request.reason());
        return MAPPER.writeValueAsBytes(node);
    }
}
