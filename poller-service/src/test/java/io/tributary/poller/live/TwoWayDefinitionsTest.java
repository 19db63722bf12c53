package io.tributary.poller.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.definition.SourceDefinition;
import io.tributary.definition.SourceDefinitionLoader;
import io.tributary.definition.topic.StoredSource;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.status.SourceActivity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

class TwoWayDefinitionsTest {

    private final SourceDefinitionLoader loader = new SourceDefinitionLoader();

    @Test
    void theCapturedTablesAreThoseOfTheDeliveredEntities() {
        SourceDefinition music = loader.load(Path.of("../examples/music-inventory.yaml"));
        assertThat(TwoWayDefinitions.deliveredTables(music)).containsExactly("music_items");
        SourceDefinition webhooks = loader.load(Path.of("../examples/music-inventory-webhooks.yaml"));
        assertThat(TwoWayDefinitions.deliveredTables(webhooks)).as("delivered by outbound webhooks")
                .containsExactly("music_items");
        SourceDefinition forum = loader.load(Path.of("../examples/forum.yaml"));
        assertThat(TwoWayDefinitions.deliveredTables(forum)).as("one-way: nothing delivered").isEmpty();
    }

    @Test
    void withoutCaptureATwoWaySourceThisPollerRunsIsMarkedAndAnotherShardsIsNot() throws Exception {
        SourceActivity activity = new SourceActivity(() -> Instant.parse("2026-12-01T10:00:00Z"));
        activity.register(new SourcePartition("music-faker", "music_items"), "rest");
        TwoWayDefinitions twoWay = new TwoWayDefinitions(null, activity, 1);
        StoredSource music = stored("acme-records/music-faker", "../examples/music-inventory.yaml");

        twoWay.stored(music, true);
        assertThat(note(activity)).startsWith("not captured: tributary.poller.capture.enabled is false on this poller")
                .contains("[music_items]").doesNotContain("another poller");
        twoWay.removed(music.key());
        assertThat(note(activity)).isNull();
        twoWay.stored(music, false);
        assertThat(note(activity)).as("another poller runs it and reports it").isNull();
    }

    private static StoredSource stored(String key, String yaml) throws Exception {
        JsonNode definition = YAMLMapper.builder().build().readTree(Files.readString(Path.of(yaml)));
        return StoredSource.read(key, JsonMapper.builder().build().writeValueAsBytes(
                java.util.Map.of("definition", definition, "state", java.util.Map.of("paused", false))));
    }

    private static String note(SourceActivity activity) {
        return activity.snapshot().sources().get(0).capture();
    }
}
