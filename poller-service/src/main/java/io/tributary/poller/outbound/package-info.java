/**
 * Capture of the application's own changes for two-way sync (issue 6, decision 0024): rows of two-way entities
 * in the main database that the application created, edited or deleted become {@code LocalChange}s on
 * {@code tributary.outbound.<entity>}, and nothing the writer wrote does (the echo rule). On SQLite the
 * writer's triggers fill a changelog table that {@link io.tributary.poller.outbound.ChangelogCapture} reads in
 * sequence order; on PostgreSQL {@link io.tributary.poller.outbound.PostgresCapture} reads the WAL through
 * Debezium and applies the same rule to the before and after images. Either way the position is stored in the
 * poller's checkpoint topic only after Kafka acknowledged the changes it covers.
 */
@NullMarked
package io.tributary.poller.outbound;

import org.jspecify.annotations.NullMarked;
