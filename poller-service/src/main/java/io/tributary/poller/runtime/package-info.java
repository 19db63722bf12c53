/**
 * The source runtime: one scheduled loop per {@link io.tributary.model.spi.SourcePartition} driving a
 * {@link io.tributary.model.spi.SourceTask}, publishing each batch to its change topic and committing
 * the batch's cursor to the checkpoint topic only after Kafka acknowledged every event. Source kinds
 * plug in as {@link io.tributary.poller.runtime.SourceKind} beans.
 */
@NullMarked
package io.tributary.poller.runtime;

import org.jspecify.annotations.NullMarked;
