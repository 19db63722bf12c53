package io.tributary.poller.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapturePropertiesTest {

    private static CaptureProperties of(String dialect, Path path, String url, String username, String password,
            List<String> entities) {
        return new CaptureProperties(true, dialect, path, url, username, password, entities, Duration.ofMillis(500),
                500, Duration.ofSeconds(5), Duration.ofSeconds(5), "tributary_capture", Duration.ofSeconds(10));
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> of("mysql", Path.of("x.db"), null, "", "", List.of("music_items")))
                .hasMessageContaining("tributary.poller.capture.dialect must be sqlite or postgresql, was 'mysql'");
        assertThatThrownBy(() -> of("sqlite", null, null, "", "", List.of("music_items")))
                .hasMessageContaining("tributary.poller.capture.path (the SQLite main database file) is required");
        assertThatThrownBy(() -> of("sqlite", Path.of("x.db"), null, "", "", List.of()).requireSomethingToCapture(false))
                .hasMessageContaining("tributary.poller.capture.entities must name the two-way entities")
                .hasMessageContaining("tributary.poller.config-topic.enabled=true");
        assertThatThrownBy(() -> of("postgresql", null, "jdbc:postgresql://db/main?password=secret", "", "",
                List.of("music_items")))
                .hasMessageContaining("tributary.poller.capture.username is required");
        assertThatThrownBy(() -> of("postgresql", null, "jdbc:mysql://db/x?password=secret", "u", "",
                List.of("music_items")))
                .hasMessageContaining("url must be jdbc:postgresql://host[:port]/database")
                .hasMessageNotContaining("secret");
    }

    @Test
    void noStaticEntitiesIsFineWhenTheTwoWayDefinitionsAreFollowed() {
        CaptureProperties none = of("sqlite", Path.of("x.db"), null, "", "", List.of());
        none.requireSomethingToCapture(true);
        assertThat(none.entities()).isEmpty();
    }

    @Test
    void disabledNeedsNothingAndThePasswordIsNeverPrinted() {
        assertThat(new CaptureProperties(false, "sqlite", null, null, "", "", List.of(), Duration.ofMillis(500), 500,
                Duration.ofSeconds(5), Duration.ofSeconds(5), "tributary_capture", Duration.ofSeconds(10)).enabled())
                .isFalse();
        CaptureProperties pg = of("postgresql", null, "jdbc:postgresql://db.internal/main", "capture", "s3cret",
                List.of("music_items"));
        assertThat(pg.toString()).contains("password=****").doesNotContain("s3cret");
        assertThat(pg.hostPortDatabase()).containsExactly("db.internal", "5432", "main");
    }
}
