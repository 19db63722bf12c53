/**
 * The PostgreSQL dialect: the main database shared by several writer instances.
 */
@NullMarked
package io.tributary.writer.dialect.postgres;

import org.jspecify.annotations.NullMarked;
