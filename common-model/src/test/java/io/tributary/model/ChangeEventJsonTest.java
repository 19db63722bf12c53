package io.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

class ChangeEventJsonTest {

    private static ChangeEvent message() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("topic_id", "t-1");
        payload.put("parent_id", null);
        payload.put("body", "emoji 🎉, rtl שלום, \"quotes\"\nnewline");
        payload.put("tags", List.of("a", "b"));
        return ChangeEvent.of("forum-sim", "messages", "m:1/x", Operation.UPSERT, 1_700_000_000_123L,
                Instant.parse("2026-11-21T10:15:30.123Z"), Origin.POLL, payload);
    }

    @Test
    void roundTripKeepsEveryField() {
        ChangeEvent event = message();
        ChangeEvent read = ChangeEventJson.read(ChangeEventJson.write(event));
        assertThat(read).isEqualTo(event);
        assertThat(read.payload()).containsEntry("parent_id", null);
    }

    @Test
    void serdeRoundTrip() {
        ChangeEvent event = message();
        byte[] bytes = new ChangeEventSerializer().serialize("t", event);
        assertThat(new ChangeEventDeserializer().deserialize("t", bytes)).isEqualTo(event);
    }

    @Test
    void eventIdIsDeterministicPerObservedVersion() {
        String a = ChangeEvent.deterministicId("s", "users", "1", Operation.UPSERT, 5);
        assertThat(ChangeEvent.deterministicId("s", "users", "1", Operation.UPSERT, 5)).isEqualTo(a);
        assertThat(ChangeEvent.deterministicId("s", "users", "1", Operation.UPSERT, 6)).isNotEqualTo(a);
        assertThat(ChangeEvent.deterministicId("s", "users", "1", Operation.DELETE, 5)).isNotEqualTo(a);
        assertThat(ChangeEvent.deterministicId("s", "topics", "1", Operation.UPSERT, 5)).isNotEqualTo(a);
        // the same version observed by a webhook and by a poll is one event
        ChangeEvent polled = ChangeEvent.of("s", "users", "1", Operation.UPSERT, 5, Instant.EPOCH, Origin.POLL, Map.of());
        ChangeEvent pushed = ChangeEvent.of("s", "users", "1", Operation.UPSERT, 5, Instant.now(), Origin.WEBHOOK, Map.of());
        assertThat(pushed.eventId()).isEqualTo(polled.eventId());
    }

    @Test
    void keyRoundTripsExternalIdsWithColons() {
        ChangeKey key = message().key();
        assertThat(key.encode()).isEqualTo("forum-sim:m:1/x");
        assertThat(ChangeKey.decode(key.encode())).isEqualTo(key);
    }

    @Test
    void topicNames() {
        assertThat(ChangeTopics.forEntity("messages")).isEqualTo("tributary.changes.messages");
        assertThat(ChangeTopics.deadLetterOf("tributary.changes.messages")).isEqualTo("tributary.changes.messages.dlt");
        assertThat(ChangeTopics.entityOf("tributary.changes.users")).isEqualTo("users");
        assertThatThrownBy(() -> ChangeTopics.entityOf("tributary.changes.users.dlt")).hasMessageContaining("not a change topic");
        assertThatThrownBy(() -> ChangeTopics.forEntity("Bad-Name")).hasMessageContaining("entity 'Bad-Name'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not json|not valid JSON",
            "[1,2]|must be a JSON object",
            "{}|'schemaVersion' is missing",
            "{\"schemaVersion\":2}|Unsupported envelope schemaVersion 2",
            "{\"schemaVersion\":1,\"eventId\":\"e\",\"sourceId\":\"s\",\"entity\":\"users\",\"externalId\":\"1\",\"op\":\"MERGE\"}|'op' has unknown value 'MERGE'",
            "{\"schemaVersion\":1,\"eventId\":\"e\",\"sourceId\":\"s\",\"entity\":\"users\",\"externalId\":\"1\",\"op\":\"UPSERT\",\"sourceVersion\":\"x\"}|'sourceVersion' must be an integer",
            "{\"schemaVersion\":1,\"eventId\":\"e\",\"sourceId\":\"s\",\"entity\":\"users\",\"externalId\":\"1\",\"op\":\"UPSERT\",\"sourceVersion\":1,\"observedAt\":\"yesterday\"}|'observedAt' is not an ISO-8601 instant",
            "{\"schemaVersion\":1,\"eventId\":\"e\",\"sourceId\":\"s\",\"entity\":\"users\",\"externalId\":\"1\",\"op\":\"UPSERT\",\"sourceVersion\":-1,\"observedAt\":\"2026-01-01T00:00:00Z\",\"origin\":\"POLL\",\"payload\":{}}|sourceVersion must be >= 0",
            "{\"schemaVersion\":1,\"eventId\":\"e\",\"sourceId\":\"Bad:Id\",\"entity\":\"users\",\"externalId\":\"1\",\"op\":\"UPSERT\",\"sourceVersion\":1,\"observedAt\":\"2026-01-01T00:00:00Z\",\"origin\":\"POLL\",\"payload\":{}}|sourceId 'Bad:Id'",
            "{\"schemaVersion\":1,\"eventId\":\"e\",\"sourceId\":\"s\",\"entity\":\"users\",\"externalId\":\"1\",\"op\":\"UPSERT\",\"sourceVersion\":1,\"observedAt\":\"2026-01-01T00:00:00Z\",\"origin\":\"POLL\",\"payload\":[]}|'payload' must be a JSON object",
            "{\"schemaVersion\":1,\"eventId\":\"e\",\"sourceId\":\"s\",\"entity\":\"users\",\"externalId\":\"1\",\"op\":\"UPSERT\",\"sourceVersion\":99999999999999999999,\"observedAt\":\"2026-01-01T00:00:00Z\",\"origin\":\"POLL\",\"payload\":{}}|'sourceVersion' must be an integer",
            "{\"schemaVersion\":1,\"eventId\":\"e\",\"sourceId\":\"s\",\"entity\":\"users\",\"externalId\":\"1\",\"op\":\"UPSERT\",\"sourceVersion\":1.5,\"observedAt\":\"2026-01-01T00:00:00Z\",\"origin\":\"POLL\",\"payload\":{}}|'sourceVersion' must be an integer",
            "{\"schemaVersion\":1,\"eventId\":{\"a\":1},\"sourceId\":\"s\"}|'eventId' must be a string",
            "{\"schemaVersion\":1,\"eventId\":null}|'eventId' is missing",
            "{\"schemaVersion\":1,\"eventId\":\"e\",\"sourceId\":\"s\",\"entity\":\"users\",\"externalId\":\"1\",\"op\":\"UPSERT\",\"sourceVersion\":1,\"observedAt\":\"2026-01-01T00:00:00Z\",\"origin\":\"POLL\",\"payload\":{}} {}|not valid JSON",
            "{\"schemaVersion\":1,\"eventId\":\"e\",|not valid JSON",
            "``|must be a JSON object",
    })
    void rejectsMalformedEventsNamingTheProblem(String json, String expected) {
        assertThatThrownBy(() -> ChangeEventJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedChangeEventException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void fieldsAreReadInAnyOrderAndUnknownOnesAreSkipped() {
        String json = "{\"payload\":{\"name\":\"Ann\",\"n\":7,\"big\":12345678901234567890,\"x\":1.5,\"tags\":[\"a\",{\"b\":null}]},"
                + "\"future\":{\"nested\":[1,{\"deep\":true}]},\"origin\":\"WEBHOOK\",\"observedAt\":\"2026-01-01T00:00:00.123Z\","
                + "\"sourceVersion\":42,\"op\":\"UPSERT\",\"externalId\":\"u1\",\"entity\":\"users\",\"sourceId\":\"s\","
                + "\"eventId\":\"e\",\"schemaVersion\":1}";
        ChangeEvent event = ChangeEventJson.read(json.getBytes(StandardCharsets.UTF_8));
        assertThat(event.origin()).isEqualTo(Origin.WEBHOOK);
        assertThat(event.sourceVersion()).isEqualTo(42);
        assertThat(event.observedAt()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00.123Z"));
        assertThat(event.payload()).containsEntry("name", "Ann").containsEntry("n", 7)
                .containsEntry("big", new java.math.BigInteger("12345678901234567890")).containsEntry("x", 1.5);
        assertThat(event.payload().get("tags")).isEqualTo(java.util.Arrays.asList("a", java.util.Collections.singletonMap("b", null)));
        assertThat(ChangeEventJson.read(ChangeEventJson.write(event))).isEqualTo(event);
    }

    /** The payload's common values are written and read without databind: byte for byte and value for value as it. */
    @Test
    void payloadIsWrittenAndReadExactlyAsDatabindWritesAndReadsAMap() {
        JsonMapper databind = JsonMapper.builder().disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("zeta", "text \"quoted\" 🎉 שלום\n\t\\ \u0001");
        payload.put("alpha", null);
        payload.put("yes", true);
        payload.put("no", false);
        payload.put("long", 12_345_678_901_234L);
        payload.put("int", -7);
        payload.put("double", 1.5);
        payload.put("big", new BigInteger("123456789012345678901234567890"));
        payload.put("decimal", new BigDecimal("1.10"));
        payload.put("list", List.of("a", 1, Map.of("k", "v")));
        payload.put("map", Collections.singletonMap("x", null));
        payload.put("when", Instant.parse("2026-12-07T10:00:00.5Z"));
        payload.put("", "empty name");
        ChangeEvent event = ChangeEvent.of("s", "users", "1", Operation.UPSERT, 1, Instant.EPOCH, Origin.POLL, payload);

        String json = new String(ChangeEventJson.write(event), StandardCharsets.UTF_8);
        String payloadJson = databind.writeValueAsString(payload);
        assertThat(json).endsWith("\"payload\":" + payloadJson + "}");
        Map<String, Object> expected = databind.readValue(payloadJson, new TypeReference<Map<String, Object>>() { });
        assertThat(ChangeEventJson.read(json.getBytes(StandardCharsets.UTF_8)).payload())
                .containsExactlyEntriesOf(expected);
    }

    /** Each thread reuses its output buffer: an event never carries bytes of the one written before it. */
    @Test
    void eventsWrittenAfterALargerOneAreWrittenAlike() {
        Map<String, Object> large = new LinkedHashMap<>();
        large.put("body", "x".repeat(100_000));
        Map<String, Object> small = new LinkedHashMap<>();
        small.put("body", "é");
        ChangeEvent smallEvent = ChangeEvent.of("s", "users", "1", Operation.UPSERT, 1, Instant.EPOCH, Origin.POLL, small);
        byte[] first = ChangeEventJson.write(smallEvent);
        ChangeEventJson.write(ChangeEvent.of("s", "users", "2", Operation.UPSERT, 1, Instant.EPOCH, Origin.POLL, large));
        assertThat(ChangeEventJson.write(smallEvent)).isEqualTo(first);
        ChangeEventJson.write(ChangeEvent.of("s", "users", "3", Operation.UPSERT, 1, Instant.EPOCH, Origin.POLL, Map.of()));
        assertThat(ChangeEventJson.write(smallEvent)).isEqualTo(first);
        assertThat(ChangeEventJson.read(first)).isEqualTo(smallEvent);
    }

    @Test
    void aPayloadWithANullFieldNameIsRefused() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(null, "x");
        ChangeEvent event = ChangeEvent.of("s", "users", "1", Operation.UPSERT, 1, Instant.EPOCH, Origin.POLL, payload);
        assertThatThrownBy(() -> ChangeEventJson.write(event)).hasMessageContaining("Null key");
    }

    @Test
    void nullValueIsMalformed() {
        assertThatThrownBy(() -> new ChangeEventDeserializer().deserialize("tributary.changes.users", null))
                .isInstanceOf(MalformedChangeEventException.class)
                .hasMessageContaining("no value");
    }
}
