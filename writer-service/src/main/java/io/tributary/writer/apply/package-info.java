/**
 * Applying a batch of row changes in one transaction: placeholders for late references, version-guarded upserts, final deletes.
 */
@NullMarked
package io.tributary.writer.apply;

import org.jspecify.annotations.NullMarked;
