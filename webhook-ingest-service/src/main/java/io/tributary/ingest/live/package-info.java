/**
 * Webhook receivers built from the admin service's source definitions while the service runs (decision 0027).
 */
@NullMarked
package io.tributary.ingest.live;

import org.jspecify.annotations.NullMarked;
