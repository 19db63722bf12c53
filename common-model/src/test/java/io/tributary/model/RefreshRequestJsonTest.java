package io.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RefreshRequestJsonTest {

    @Test
    void roundTripKeepsEveryFieldAndTheKeyIsTheRecordsChangeKey() {
        RefreshRequest request = new RefreshRequest("forum-sim", "messages", "m:1/ü", Instant.parse("2026-11-21T10:15:30.123Z"),
                Origin.WEBHOOK, "thin message.updated event");
        byte[] bytes = new RefreshRequestSerializer().serialize(RefreshRequest.TOPIC, request);
        assertThat(new RefreshRequestDeserializer().deserialize(RefreshRequest.TOPIC, bytes)).isEqualTo(request);
        assertThat(request.key().encode()).isEqualTo("forum-sim:m:1/ü");
        assertThat(RefreshRequest.TOPIC).isEqualTo("tributary.refresh.requests");
    }

    @Test
    void malformedInputIsASerializationExceptionNamingTheProblem() {
        RefreshRequestDeserializer reader = new RefreshRequestDeserializer();
        assertThatThrownBy(() -> reader.deserialize("t", "{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> reader.deserialize("t", """
                {"sourceId":"forum-sim","entity":"messages","requestedAt":"2026-11-21T10:15:30Z","origin":"WEBHOOK","reason":""}"""
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("'externalId'");
        assertThatThrownBy(() -> reader.deserialize("t", """
                {"sourceId":"Forum Sim","entity":"messages","externalId":"m","requestedAt":"2026-11-21T10:15:30Z","origin":"WEBHOOK","reason":""}"""
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("sourceId");
        assertThatThrownBy(() -> reader.deserialize("t", null)).isInstanceOf(SerializationException.class);
    }
}
