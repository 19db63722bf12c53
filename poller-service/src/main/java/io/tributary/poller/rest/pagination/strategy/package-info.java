/**
 * How a declared REST listing is walked page after page (issue 5): one small extension point,
 * {@link io.tributary.poller.rest.pagination.strategy.PaginationStrategy}, with page-number, offset-limit,
 * cursor-token (from the body or a header) and RFC 8288 Link-header implementations, chosen from a source
 * definition's {@code pagination} by {@link io.tributary.poller.rest.pagination.strategy.PaginationResolver}.
 * Pure (no HTTP client): a strategy says which request comes first and which follows a page.
 * Not wired into the running poller yet; the forum's own cursor walk stays in the parent package.
 */
@NullMarked
package io.tributary.poller.rest.pagination.strategy;

import org.jspecify.annotations.NullMarked;
