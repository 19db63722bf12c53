/**
 * The outbound half of two-way sync: a {@link io.tributary.model.outbound.LocalChange} is a change the
 * application made in the main database to a row of a two-way source, captured (SQLite changelog or
 * Debezium on PostgreSQL) and published on {@link io.tributary.model.outbound.OutboundTopics per-entity
 * outbound topics} for the writer's delivery to the source.
 */
@NullMarked
package io.tributary.model.outbound;

import org.jspecify.annotations.NullMarked;
