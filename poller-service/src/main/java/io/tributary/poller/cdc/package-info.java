/**
 * The {@code cdc} source kind: Debezium's embedded engine reads an external PostgreSQL database's logical
 * replication stream (pgoutput), an initial snapshot first, and each change becomes a normalized change event
 * (origin CDC, source version = the change's LSN). One engine, replication slot and publication per
 * (source, entity); Debezium's offsets are the partition's cursor in the poller's checkpoint topic. See
 * {@code docs/decisions/0012-cdc-source-kind.md}.
 */
@NullMarked
package io.tributary.poller.cdc;

import org.jspecify.annotations.NullMarked;
