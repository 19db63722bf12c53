/**
 * Serves refresh requests ({@code tributary.refresh.requests}, from the webhook receiver's thin events):
 * reads the record again through its source kind's {@link io.tributary.poller.runtime.RecordRefresher}
 * and publishes what is there now (UPSERT, or DELETE on 404) to the record's change topic.
 */
@NullMarked
package io.tributary.poller.refresh;

import org.jspecify.annotations.NullMarked;
