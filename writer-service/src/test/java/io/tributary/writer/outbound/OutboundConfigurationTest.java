package io.tributary.writer.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which sources delivery accepts, and what it takes from their definitions; refusals name the file and the reason. */
class OutboundConfigurationTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    private static OutboundProperties listing(Path definition) {
        return new OutboundProperties(List.of(new OutboundProperties.Source(definition)), "tributary-outbound",
                Duration.ofSeconds(30), new OutboundProperties.Redelivery(Duration.ofSeconds(1), Duration.ofMinutes(1)));
    }

    @Test
    void theMusicExampleDeliversItsItemsWithTheMappingsVersionAndTheResponsesId() {
        List<DeliveryTarget> targets = new OutboundConfiguration().outboundTargets(
                listing(EXAMPLES.resolve("music-inventory.yaml"))).all();

        assertThat(targets).singleElement().satisfies(target -> {
            assertThat(target.source().id()).isEqualTo("music-faker");
            assertThat(target.table()).isEqualTo("music_items");
            assertThat(target.responseId().text()).isEqualTo("id");
            assertThat(target.responseVersion().source().text()).isEqualTo("updatedAt");
            assertThat(target.timeVersions()).isTrue();
            assertThat(target.columns()).containsExactly("name", "artist", "album");
            assertThat(target.references()).isEmpty();
        });
    }

    @Test
    void aOneWaySourceIsRefusedNamingTheFile() {
        Path forum = EXAMPLES.resolve("forum.yaml");
        assertThatThrownBy(() -> new OutboundConfiguration().outboundTargets(listing(forum)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(forum.toString()).hasMessageContaining("is not two-way");
    }
}
