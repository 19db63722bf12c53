/**
 * The writer service: the only writer of the main database: applies change events from Kafka to it (one
 * instance on SQLite; any number in one consumer group on PostgreSQL).
 */
@NullMarked
package io.tributary.writer;

import org.jspecify.annotations.NullMarked;
