/**
 * {@code GET /status/sources}: per source what the writer did with it — the live definitions (or their entities) it
 * refused, with the reason and since when, and the events it dead-lettered per entity — for the admin API's source
 * status ({@link io.tributary.writer.sources.SourceActivity}).
 */
@NullMarked
package io.tributary.writer.sources;

import org.jspecify.annotations.NullMarked;
