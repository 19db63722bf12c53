/**
 * Two-way delivery (issue 6, decision 0025): the application's changes ({@code LocalChange}s on
 * {@code tributary.outbound.<entity>}, captured by the poller) are sent to their source over REST as its
 * definition says, in order per row, with retries that never lose a change, the idempotency key, conflict
 * detection per the source's policy, and the external id of a create written back to the row (a write the
 * capture does not take for the application's: no echo).
 */
@NullMarked
package io.tributary.writer.outbound;

import org.jspecify.annotations.NullMarked;
