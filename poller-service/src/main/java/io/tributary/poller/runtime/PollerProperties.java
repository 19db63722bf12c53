package io.tributary.poller.runtime;

import io.tributary.model.ChangeEvent;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The runtime's configuration, {@code tributary.poller.*}. Kind-specific settings of a source (e.g. a
 * REST source's {@code base-url}) sit in the same {@code sources[i]} node and are bound by the kind
 * ({@link SourceKind#propertiesType()}).
 *
 * @param sources        the sources to poll
 * @param threads        size of the thread pool shared by all partitions' loops
 * @param publishTimeout how long to wait for Kafka's acknowledgements of one batch (and of a checkpoint)
 * @param topics         how change topics are created at start
 */
@ConfigurationProperties("tributary.poller")
@Validated
public record PollerProperties(
        @DefaultValue List<@Valid Source> sources,
        @DefaultValue("4") @Min(1) @Max(64) int threads,
        @DefaultValue("2m") Duration publishTimeout,
        @DefaultValue @Valid Topics topics) {

    public PollerProperties {
        sources = List.copyOf(sources);
        Set<String> ids = new HashSet<>();
        for (Source source : sources) {
            if (!ids.add(source.id())) {
                throw new IllegalArgumentException("tributary.poller.sources: source id '" + source.id()
                        + "' is configured twice");
            }
        }
        if (publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("tributary.poller.publish-timeout must be positive, was " + publishTimeout);
        }
    }

    /**
     * One configured source.
     *
     * @param id           the source id: key prefix of its events and of its checkpoints, e.g. {@code forum-sim}
     * @param kind         which {@link SourceKind} serves it, e.g. {@code forum-rest}
     * @param entities     the collections to pull, one partition each; empty = the kind's own list
     *                     ({@link SourceKind#entities})
     * @param pollInterval pause after a pass that caught up (or failed) before the next pass
     */
    public record Source(
            @NotBlank String id,
            @NotBlank String kind,
            @DefaultValue List<String> entities,
            @DefaultValue("1s") Duration pollInterval) {

        public Source {
            if (!ChangeEvent.SOURCE_ID_PATTERN.matcher(id).matches()) {
                throw new IllegalArgumentException("tributary.poller.sources[].id '" + id + "' must match "
                        + ChangeEvent.SOURCE_ID_PATTERN);
            }
            entities = List.copyOf(entities);
            if (new HashSet<>(entities).size() != entities.size()) {
                throw new IllegalArgumentException("tributary.poller.sources[" + id
                        + "].entities must be a list without duplicates, was " + entities);
            }
            for (String entity : entities) {
                if (!ChangeEvent.ENTITY_PATTERN.matcher(entity).matches()) {
                    throw new IllegalArgumentException("tributary.poller.sources[" + id + "].entities: '" + entity
                            + "' must match " + ChangeEvent.ENTITY_PATTERN);
                }
            }
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("tributary.poller.sources[" + id
                        + "].poll-interval must be positive, was " + pollInterval);
            }
        }
    }

    /**
     * @param partitions        partitions of each change topic the poller creates (at start, and for a live source
     *                          or a newly two-way entity while it runs)
     * @param replicationFactor replicas of each created topic; -1 = the broker's default
     * @param createRetry       the first pause before a live source's topics are asked for again after the broker
     *                          refused or did not answer; it doubles after each failure, up to one minute
     */
    public record Topics(@DefaultValue("3") @Min(1) int partitions, @DefaultValue("-1") short replicationFactor,
            @DefaultValue("1s") Duration createRetry) {

        public Topics {
            if (createRetry.isNegative() || createRetry.isZero()) {
                throw new IllegalArgumentException("tributary.poller.topics.create-retry must be positive, was "
                        + createRetry);
            }
        }
    }
}
