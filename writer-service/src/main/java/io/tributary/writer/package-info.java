/**
 * The writer service: the single writer that applies change events from Kafka to the main database.
 */
@NullMarked
package io.tributary.writer;

import org.jspecify.annotations.NullMarked;
