package io.tributary.writer.progress;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What {@code GET /status} (and so the status page and {@code bin/tributary-status}) shows besides the
 * writer's own figures.
 *
 * @param pollerUrl     the poller's base URL, e.g. {@code http://127.0.0.1:8082}, whose {@code GET /status}
 *                      lists the sources; unset: no sources shown
 * @param pollerTimeout how long to wait for the poller's answer before showing it as unreachable; 100 ms to 30 s
 */
@ConfigurationProperties("tributary.writer.status")
@Validated
public record WriterStatusProperties(@Nullable URI pollerUrl, @DefaultValue("2s") @NotNull Duration pollerTimeout) {

    public WriterStatusProperties {
        if (pollerUrl != null && !("http".equals(pollerUrl.getScheme()) || "https".equals(pollerUrl.getScheme()))) {
            throw new IllegalArgumentException("tributary.writer.status.poller-url must be an http(s) URL, was " + pollerUrl);
        }
        if (pollerTimeout != null && (pollerTimeout.toMillis() < 100 || pollerTimeout.compareTo(Duration.ofSeconds(30)) > 0)) {
            throw new IllegalArgumentException("tributary.writer.status.poller-timeout must be between 100ms and 30s, was "
                    + pollerTimeout);
        }
    }
}
