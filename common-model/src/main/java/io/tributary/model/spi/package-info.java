/**
 * The extension point for pulled sources, modelled on Kafka Connect's {@code SourceTask}: a
 * {@link io.tributary.model.spi.SourceTask} turns one stream of a source (a
 * {@link io.tributary.model.spi.SourcePartition}) into batches of change events, each with the
 * {@link io.tributary.model.spi.SourceCursor} that becomes durable once Kafka has acknowledged every
 * event of the batch. The runtime (poller-service) owns scheduling, publishing and checkpoints.
 */
@NullMarked
package io.tributary.model.spi;

import org.jspecify.annotations.NullMarked;
