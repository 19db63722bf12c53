/**
 * Tables of configured entities ({@code tributary.writer.entities}): created at start when missing, and
 * evolved only by adding columns. A column is never changed or dropped: a type conflict stops the start
 * naming the column, and a column no longer configured is kept (and logged).
 */
@NullMarked
package io.tributary.writer.schema;

import org.jspecify.annotations.NullMarked;
