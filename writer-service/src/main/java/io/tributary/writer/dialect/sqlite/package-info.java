/**
 * The SQLite dialect (the default main database).
 */
@NullMarked
package io.tributary.writer.dialect.sqlite;

import org.jspecify.annotations.NullMarked;
