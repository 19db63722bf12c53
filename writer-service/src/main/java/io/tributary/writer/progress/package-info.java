/**
 * Metrics and the periodic progress log line.
 */
@NullMarked
package io.tributary.writer.progress;

import org.jspecify.annotations.NullMarked;
