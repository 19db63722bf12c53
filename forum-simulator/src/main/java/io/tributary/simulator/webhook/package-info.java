/**
 * Outgoing webhooks as the contract describes them (best effort): every change of the
 * {@link io.tributary.simulator.content.ForumChangeFeed} may be POSTed, signed per Standard Webhooks, to a
 * configured receiver, with configurable loss, duplicates, delays (hence reordering), thin or full payloads
 * and retries. Off unless {@code forum-simulator.webhooks.url} is set.
 */
@NullMarked
package io.tributary.simulator.webhook;

import org.jspecify.annotations.NullMarked;
