package io.tributary.ingest.signature;

import java.time.Instant;
import org.springframework.http.HttpHeaders;

/** Verifies deliveries for one source (see {@link SignatureScheme#verifier}). Thread-safe. */
@FunctionalInterface
public interface Verifier {

    /**
     * Checks the delivery's signature over the raw body bytes, and its timestamp against the tolerance.
     *
     * @return the delivery's id (for deduplication) and signed timestamp, as far as the scheme has them
     * @throws SignatureRejectedException naming why, never echoing a secret or the signature
     */
    VerifiedDelivery verify(HttpHeaders headers, byte[] body, Instant now);
}
