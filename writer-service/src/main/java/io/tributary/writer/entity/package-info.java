/**
 * Entity definitions as data (tables, fields, references) and the validation that maps a change event to a row change.
 */
@NullMarked
package io.tributary.writer.entity;

import org.jspecify.annotations.NullMarked;
