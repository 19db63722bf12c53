/**
 * Sources that arrive while the poller runs: the admin API's source definitions, read from the compacted
 * config topic and started, replaced, paused, resynced and stopped without a restart (decision 0022).
 */
@NullMarked
package io.tributary.poller.live;

import org.jspecify.annotations.NullMarked;
