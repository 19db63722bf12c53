/**
 * The database seam: a {@link io.tributary.writer.dialect.Dialect} per database product, chosen by configuration, and the main database's data source and migrations.
 */
@NullMarked
package io.tributary.writer.dialect;

import org.jspecify.annotations.NullMarked;
