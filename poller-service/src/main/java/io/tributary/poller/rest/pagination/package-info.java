/**
 * The cursor algorithm that walks an offset-paged listing ordered by {@code (updated_at, id)} with an
 * inclusive {@code updated_since} filter, without losing records when pages shift between requests and
 * without looping inside tie groups larger than a page. Pure: no HTTP, no Kafka; see
 * {@link io.tributary.poller.rest.pagination.ListingWalker}.
 */
@NullMarked
package io.tributary.poller.rest.pagination;

import org.jspecify.annotations.NullMarked;
