package io.tributary.mapping.declarative;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The forum contract written as declarative mappings produces exactly ForumRecordNormalizer's events:
 * this module's own copy, and the mappings of the project's forum source definition ({@code examples/forum.yaml}).
 */
class ForumMappingEquivalenceTest {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonNode MAPPINGS = ForumEquivalence.resource("/declarative/forum-mappings.yaml", YAML);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20261121})
    void sameEventsAndSameRefusals(long seed) {
        int refused = ForumEquivalence.compare(seed, 300,
                entity -> MappingParser.parse(MAPPINGS.get(entity), "$." + entity));
        // about a quarter is broken, and most breakages are refusals: both branches were exercised
        assertThat(refused).isBetween(50, 400);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 20261122})
    void theForumSourceDefinitionMapsTheSame(long seed) throws IOException {
        JsonNode definition = YAML.readTree(Files.readString(Path.of("..", "examples", "forum.yaml")));
        Function<String, RecordMapping> mappings = entity -> {
            JsonNode entities = definition.get("entities");
            for (int i = 0; i < entities.size(); i++) {
                if (entities.get(i).get("name").stringValue().equals(entity)) {
                    return MappingParser.parse(entities.get(i).get("mapping"), "$.entities[" + i + "].mapping");
                }
            }
            throw new AssertionError("examples/forum.yaml has no entity " + entity);
        };
        assertThat(ForumEquivalence.compare(seed, 400, mappings)).isPositive();
    }
}
