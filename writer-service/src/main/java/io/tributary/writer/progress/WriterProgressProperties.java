package io.tributary.writer.progress;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The progress log line.
 *
 * @param interval how often to log progress (only when something changed); at least 100 ms
 */
@ConfigurationProperties("tributary.writer.progress")
@Validated
public record WriterProgressProperties(@DefaultValue("5s") @NotNull Duration interval) {

    public WriterProgressProperties {
        if (interval != null && interval.toMillis() < 100) {
            throw new IllegalArgumentException("tributary.writer.progress.interval must be at least 100ms, was "
                    + interval);
        }
    }
}
