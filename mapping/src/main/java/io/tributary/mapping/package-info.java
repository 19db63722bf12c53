/**
 * Source records to change events. The one mapping code that every path observing a source uses (the
 * poller's listings, the webhook receiver's full events, the poller's refresh of one record), so that one
 * version of one record becomes the same event, with the same deterministic id, whichever path saw it.
 * Declarative mappings (issue 5) are in {@code io.tributary.mapping.declarative}.
 */
@NullMarked
package io.tributary.mapping;

import org.jspecify.annotations.NullMarked;
