package io.tributary.mapping.declarative;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The forum contract written as declarative mappings produces exactly ForumRecordNormalizer's events. */
class ForumMappingEquivalenceTest {

    private static final JsonNode MAPPINGS = ForumEquivalence.resource("/declarative/forum-mappings.yaml",
            YAMLMapper.builder().build());

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 20261121})
    void sameEventsAndSameRefusals(long seed) {
        int refused = ForumEquivalence.compare(seed, 300,
                entity -> MappingParser.parse(MAPPINGS.get(entity), "$." + entity));
        // about a quarter is broken, and most breakages are refusals: both branches were exercised
        assertThat(refused).isBetween(50, 400);
    }
}
