package io.tributary.writer.outbound;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code tributary.writer.outbound}: two-way delivery (decision 0025), off unless a source is listed.
 *
 * <pre>
 * tributary.writer.outbound:
 *   sources:
 *     - definition: /etc/tributary/sources/music-inventory.yaml   # sync.mode two-way, entities with delivery
 * </pre>
 *
 * @param sources        the two-way sources whose local changes this writer delivers
 * @param groupId        the consumer group of the outbound topics
 * @param requestTimeout one request to a source (one attempt)
 * @param redelivery     how a change whose attempts all failed transiently is tried again: without limit,
 *                       never skipped (the offset stays until it is delivered or dead-lettered)
 */
@Validated
@ConfigurationProperties("tributary.writer.outbound")
public record OutboundProperties(
        @DefaultValue List<@Valid Source> sources,
        @DefaultValue("tributary-outbound") @NotBlank String groupId,
        @DefaultValue("30s") @NotNull Duration requestTimeout,
        @DefaultValue @Valid @NotNull Redelivery redelivery) {

    public OutboundProperties {
        sources = List.copyOf(sources);
    }

    /** @param definition the source's definition file (YAML or JSON) */
    public record Source(@NotNull Path definition) {
    }

    /** Exponential backoff from {@code initialInterval} to {@code maxInterval}, without end. */
    public record Redelivery(
            @DefaultValue("1s") @NotNull Duration initialInterval,
            @DefaultValue("1m") @NotNull Duration maxInterval) {
    }
}
