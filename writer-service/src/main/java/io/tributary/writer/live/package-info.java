/**
 * The writer follows the source definitions of the config topic (decision 0029): their targets become entities of
 * its catalog (tables created and evolved while it runs, the change topics subscribed after), and their two-way
 * entities are delivered.
 */
@NullMarked
package io.tributary.writer.live;

import org.jspecify.annotations.NullMarked;
