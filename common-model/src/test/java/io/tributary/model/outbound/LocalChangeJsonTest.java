package io.tributary.model.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.model.MalformedChangeEventException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalChangeJsonTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:00:00.123Z");

    @Test
    void aCreateWithoutExternalIdAndANullFieldSurvivesTheRoundTrip() {
        Map<String, Object> fields = new HashMap<>();
        fields.put("name", "Blue Train");
        fields.put("album", null);
        LocalChange create = LocalChange.of("music-faker", "music_items", 42, null, LocalOperation.CREATE, 0, AT, 7,
                fields);

        LocalChange read = LocalChangeJson.read(LocalChangeJson.write(create));

        assertThat(read).isEqualTo(create);
        assertThat(read.fields()).containsEntry("album", null);
        assertThat(read.key()).isEqualTo("music-faker:42");
        assertThat(read.topic()).isEqualTo("tributary.outbound.music_items");
    }

    @Test
    void theSameCapturedChangeHasTheSameIdAndAnotherPositionAnother() {
        String first = LocalChange.deterministicId("s", "music_items", 1, LocalOperation.UPDATE, 10);
        assertThat(LocalChange.deterministicId("s", "music_items", 1, LocalOperation.UPDATE, 10)).isEqualTo(first);
        assertThat(LocalChange.deterministicId("s", "music_items", 1, LocalOperation.UPDATE, 11)).isNotEqualTo(first);
    }

    @Test
    void anUpdateOrDeleteOfARowNotDeliveredYetHasNoExternalId() {
        LocalChange update = LocalChange.of("s", "music_items", 1, null, LocalOperation.UPDATE, 0, AT, 7,
                Map.of("title", "Olé"));
        LocalChange delete = LocalChange.of("s", "music_items", 1, null, LocalOperation.DELETE, 0, AT, 8, Map.of());

        assertThat(LocalChangeJson.read(LocalChangeJson.write(update))).isEqualTo(update);
        assertThat(LocalChangeJson.read(LocalChangeJson.write(delete)).externalId()).isNull();
        assertThat(update.key()).as("same key as its create, so it is delivered after it").isEqualTo("s:1");
    }

    @Test
    void aBadFieldIsNamed() {
        String json = new String(LocalChangeJson.write(
                LocalChange.of("s", "music_items", 1, "x", LocalOperation.DELETE, 3, AT, 1, Map.of())),
                StandardCharsets.UTF_8).replace("\"localId\":1", "\"localId\":\"one\"");

        assertThatThrownBy(() -> LocalChangeJson.read(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedChangeEventException.class)
                .hasMessageContaining("'localId' must be an integer");
        assertThatThrownBy(() -> LocalChangeJson.read("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedChangeEventException.class)
                .hasMessageContaining("not valid JSON");
    }
}
