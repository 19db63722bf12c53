package io.tributary.poller.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** Binding as the runtime does it: the kind's record from the source's node. */
class ForumRestPropertiesTest {

    private static final String PREFIX = "tributary.poller.sources[0]";

    @Test
    void defaults() {
        ForumRestProperties properties = bind(Map.of(PREFIX + ".id", "forum-sim", PREFIX + ".base-url", "http://localhost:8081"));

        assertThat(properties.baseUrl()).isEqualTo(URI.create("http://localhost:8081"));
        assertThat(properties.perPage()).isEqualTo(100);
        assertThat(properties.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.rescanWindow()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.rescanCapacity()).isEqualTo(100_000);
        assertThat(properties.maxPageSize()).isEqualTo(DataSize.ofMegabytes(32));
        assertThat(properties.retry()).isEqualTo(new ForumRestProperties.Retry(10, Duration.ofMillis(200), Duration.ofSeconds(10), 0.5));
    }

    @Test
    void overrides() {
        ForumRestProperties properties = bind(Map.of(PREFIX + ".base-url", "https://forum.example/v2",
                PREFIX + ".per-page", "50", PREFIX + ".rescan-window", "0", PREFIX + ".retry.max-attempts", "3"));

        assertThat(properties.perPage()).isEqualTo(50);
        assertThat(properties.rescanWindow()).isZero();
        assertThat(properties.retry().maxAttempts()).isEqualTo(3);
    }

    @Test
    void invalidSettingsFailNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of(PREFIX + ".id", "forum-sim")))
                .isInstanceOf(BindException.class).hasMessageContaining(PREFIX)
                .rootCause().hasMessageContaining("base-url is required");
        assertThatThrownBy(() -> bind(Map.of(PREFIX + ".base-url", "http://x", PREFIX + ".per-page", "500")))
                .rootCause().hasMessageContaining("per-page must be between 20 and 100");
        assertThatThrownBy(() -> bind(Map.of(PREFIX + ".base-url", "http://x", PREFIX + ".retry.max-backoff", "10ms")))
                .rootCause().hasMessageContaining("retry.max-backoff");
    }

    private static ForumRestProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate(PREFIX, Bindable.of(ForumRestProperties.class));
    }
}
