/**
 * The poller service: pulls changes from configured sources ({@link io.tributary.model.spi.SourceTask}
 * implementations chosen by source kind) and publishes them as change events to Kafka, with durable
 * positions in a compacted checkpoint topic.
 */
@NullMarked
package io.tributary.poller;

import org.jspecify.annotations.NullMarked;
