/**
 * {@code GET /status}: per source its kind, per entity the cursor, last poll and totals, and the last
 * errors, as reported by the runtime to {@link io.tributary.poller.status.SourceActivity}.
 */
@NullMarked
package io.tributary.poller.status;

import org.jspecify.annotations.NullMarked;
