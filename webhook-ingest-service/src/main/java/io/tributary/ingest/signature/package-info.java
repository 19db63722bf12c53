/**
 * Webhook signature schemes: one small {@link io.tributary.ingest.signature.SignatureScheme} per scheme
 * (Standard Webhooks, GitHub, Stripe), chosen per source by name through {@link
 * io.tributary.ingest.signature.SignatureSchemes}. Every check runs over the raw body bytes, compares in
 * constant time, and never puts a secret or a signature into an exception message.
 */
@NullMarked
package io.tributary.ingest.signature;

import org.jspecify.annotations.NullMarked;
