/**
 * A simulated external music inventory (issue 6: the far side of two-way sync): {@code /music} list (whole, or
 * paged by {@code offset}/{@code limit}), get, create, replace, delete; every change stamps {@code updatedAt}
 * (strictly increasing); an {@code Idempotency-Key} makes a repeated create answer the first one's item; an
 * admin switch answers 503 for fault tests (all requests or some methods; before serving, or after: a lost answer);
 * admin routes change items as someone at the source; raw calls are counted per route; {@code POST /music/webhooks}
 * receives signed Standard Webhooks messages (the brief's output webhook) and applies them. Kept in memory: it is a
 * test double, not a store.
 */
@NullMarked
package io.tributary.simulator.music;

import org.jspecify.annotations.NullMarked;
