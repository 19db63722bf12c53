/** Housekeeping that runs periodically inside a service, on a thread of its own. */
@NullMarked
package io.tributary.runtime.schedule;

import org.jspecify.annotations.NullMarked;
