/**
 * Tombstone retention: deleted rows older than the retention that nothing references are removed.
 */
@NullMarked
package io.tributary.writer.tombstone;

import org.jspecify.annotations.NullMarked;
