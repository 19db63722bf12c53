package io.tributary.ingest.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class IngestPropertiesTest {

    private static final String SECRET = "whsec_c2VjcmV0LWtleS1ieXRlcy0wMTIzNDU2Nzg5";

    private static IngestProperties.Source source(List<String> secrets, Duration tolerance) {
        return new IngestProperties.Source("forum-sim", "standard-webhooks", secrets, tolerance, Map.of());
    }

    private static IngestProperties properties(List<IngestProperties.Source> sources, Duration ttl) {
        return new IngestProperties(sources, DataSize.ofMegabytes(1), Duration.ofSeconds(5), Duration.ofSeconds(5),
                new IngestProperties.Dedup(1000, ttl), 1000, new IngestProperties.Topics(3, (short) -1));
    }

    @Test
    void secretsNeverAppearInTheLoggedConfiguration() {
        IngestProperties properties = properties(List.of(source(List.of(SECRET, SECRET + "x"), Duration.ofMinutes(5))),
                Duration.ofMinutes(15));
        assertThat(properties.toString()).doesNotContain(SECRET).doesNotContain("c2VjcmV0").contains("secrets=2 (masked)");
        assertThat(properties.sources().get(0).entities()).containsEntry("message", "messages").hasSize(4);
    }

    @Test
    void badValuesFailNamingTheProperty() {
        assertThatThrownBy(() -> source(List.of(), Duration.ofMinutes(5)))
                .hasMessageContaining("tributary.ingest.sources[forum-sim].secrets").hasMessageContaining("1 or 2");
        assertThatThrownBy(() -> source(List.of("a", "b", "c"), Duration.ofMinutes(5)))
                .hasMessageContaining("secrets");
        assertThatThrownBy(() -> new IngestProperties.Source("Forum Sim", "github", List.of("s"), Duration.ofMinutes(5),
                Map.of())).hasMessageContaining("tributary.ingest.sources[].id");
        assertThatThrownBy(() -> properties(List.of(source(List.of(SECRET), Duration.ofMinutes(20))), Duration.ofMinutes(15)))
                .hasMessageContaining("tributary.ingest.dedup.ttl").hasMessageContaining("tolerance");
        assertThatThrownBy(() -> properties(List.of(source(List.of(SECRET), Duration.ofMinutes(5)),
                source(List.of(SECRET), Duration.ofMinutes(5))), Duration.ofMinutes(15)))
                .hasMessageContaining("configured twice");
    }
}
