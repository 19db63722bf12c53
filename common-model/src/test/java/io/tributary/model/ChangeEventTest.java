package io.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChangeEventTest {

    /** The written-out checks decide exactly as the published patterns, on texts near and far from valid ones. */
    @Test
    void sourceIdAndEntityChecksDecideAsTheirPatterns() {
        String alphabet = "az09_-:.Aé Z\u0130";
        SplittableRandom random = new SplittableRandom(20261207);
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            int length = random.nextInt(70);
            StringBuilder text = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                text.append(random.nextInt(4) > 0 ? (char) ('a' + random.nextInt(26)) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = text.toString();
            assertThat(ChangeEvent.isSourceId(s)).as(s).isEqualTo(ChangeEvent.SOURCE_ID_PATTERN.matcher(s).matches());
            assertThat(ChangeEvent.isEntity(s)).as(s).isEqualTo(ChangeEvent.ENTITY_PATTERN.matcher(s).matches());
            valid += ChangeEvent.isEntity(s) ? 1 : 0;
        }
        assertThat(valid).as("valid entity names among the generated texts").isGreaterThan(1_000);
        assertThat(ChangeEvent.isSourceId(null)).isFalse();
        assertThat(ChangeEvent.isEntity(null)).isFalse();
        assertThat(ChangeEvent.isSourceId("a".repeat(63))).isTrue();
        assertThat(ChangeEvent.isSourceId("a".repeat(64))).isFalse();
        assertThat(ChangeEvent.isSourceId("0-sim")).isTrue();
        assertThat(ChangeEvent.isEntity("0users")).isFalse();
    }
}
