/**
 * The generic {@code rest} source kind (issue 5, decision 0019): a REST API polled from a source definition
 * file ({@code tributary.poller.sources[i].definition}) instead of Java code. One
 * {@link io.tributary.model.spi.SourceTask} per entity of the definition walks the listing with the
 * definition's pagination strategy, filters incrementally from the committed high-water version, maps each
 * record declaratively and dead-letters the records that cannot be mapped; requests authenticate, retry
 * and respect the rate limit as the definition says.
 */
@NullMarked
package io.tributary.poller.rest.definition;

import org.jspecify.annotations.NullMarked;
