package io.tributary.writer.consume;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The change topics ({@code tributary.changes.<entity>}) and their dead-letter topics
 * ({@code <topic>.dlt}), created at start when missing.
 *
 * @param create            whether to create missing topics at start
 * @param partitions        partitions per topic (records of one key always share a partition)
 * @param replicationFactor replicas per partition
 */
@ConfigurationProperties("tributary.writer.topics")
@Validated
public record WriterTopicsProperties(
        @DefaultValue("true") boolean create,
        @DefaultValue("3") @Min(1) @Max(10_000) int partitions,
        @DefaultValue("1") @Min(1) @Max(Short.MAX_VALUE) int replicationFactor) {
}
