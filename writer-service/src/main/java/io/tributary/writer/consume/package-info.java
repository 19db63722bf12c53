/**
 * The Kafka side: the batch listener over the change topics, its container, error handling and dead-letter topics.
 */
@NullMarked
package io.tributary.writer.consume;

import org.jspecify.annotations.NullMarked;
