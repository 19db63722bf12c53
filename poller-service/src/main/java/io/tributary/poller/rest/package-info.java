/**
 * The {@code forum-rest} source kind: pulls the external forum API's listings (see the contract in
 * {@code docs/contracts/external-forum-api.md}) with retries, walks them with
 * {@link io.tributary.poller.rest.pagination.ListingWalker} and normalizes records into change events.
 */
@NullMarked
package io.tributary.poller.rest;

import org.jspecify.annotations.NullMarked;
