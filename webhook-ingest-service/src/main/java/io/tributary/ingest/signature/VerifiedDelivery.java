package io.tributary.ingest.signature;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a verified signature vouches for.
 *
 * @param deliveryId the sender's id of the delivery, the same on a redelivery ({@code webhook-id},
 *                   {@code X-GitHub-Delivery}, the Stripe event id); null if the scheme has none
 * @param timestamp  the signed timestamp; null if the scheme signs none (GitHub)
 */
public record VerifiedDelivery(@Nullable String deliveryId, @Nullable Instant timestamp) {
}
