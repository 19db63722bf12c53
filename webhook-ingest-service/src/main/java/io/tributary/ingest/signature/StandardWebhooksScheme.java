package io.tributary.ingest.signature;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.tributary.ingest.signature.SignatureRejectedException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> (the external forum's scheme):
 * headers {@code webhook-id}, {@code webhook-timestamp} (Unix seconds), {@code webhook-signature} (a
 * space-separated list of {@code v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">}); secrets
 * {@code whsec_<base64 key>}.
 *
 * <p>The expected signature is computed by the maintained reference library
 * ({@code com.standardwebhooks:standardwebhooks}, {@link Webhook#sign}). Its own {@code verify} is not used:
 * it fixes the tolerance at 5 minutes and re-encodes the payload with the platform charset; instead the
 * timestamp is checked against the configured tolerance here, and each listed {@code v1} signature is
 * compared in constant time ({@code MessageDigest.isEqual}). The library signs a {@code String}: the raw
 * body is decoded as strict UTF-8 (malformed input is rejected, not replaced), so that the library's
 * UTF-8 re-encoding reproduces exactly the bytes that were received.
 */
@Component
final class StandardWebhooksScheme implements SignatureScheme {

    static final String NAME = "standard-webhooks";
    static final String ID = "webhook-id";
    static final String TIMESTAMP = "webhook-timestamp";
    static final String SIGNATURE = "webhook-signature";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verifier verifier(List<String> secrets, Duration tolerance) {
        List<Webhook> keys = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            try {
                keys.add(new Webhook(secrets.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("secrets[" + i + "] is not a Standard Webhooks secret"
                        + " ('whsec_' followed by base64)");
            }
        }
        return (headers, body, now) -> {
            String id = Signatures.trimmedOrNull(headers.getFirst(ID));
            String signatures = Signatures.trimmedOrNull(headers.getFirst(SIGNATURE));
            if (id == null || signatures == null) {
                throw new SignatureRejectedException(Reason.SIGNATURE_MISSING,
                        "Missing Standard Webhooks header(s): " + (id == null ? ID + " " : "")
                                + (signatures == null ? SIGNATURE : "").trim());
            }
            long timestamp = Signatures.checkTimestamp(headers.getFirst(TIMESTAMP), TIMESTAMP, tolerance, now)
                    .getEpochSecond();
            String payload = strictUtf8(body);
            for (Webhook key : keys) {
                String expected = sign(key, id, timestamp, payload);
                for (String candidate : signatures.split(" ")) {
                    if (candidate.startsWith("v1,") && Signatures.constantTimeEquals(candidate, expected)) {
                        return new VerifiedDelivery(id, java.time.Instant.ofEpochSecond(timestamp));
                    }
                }
            }
            throw new SignatureRejectedException(Reason.SIGNATURE_INVALID,
                    "No webhook-signature entry matches the body with any active secret of this source");
        };
    }

    private static String sign(Webhook key, String id, long timestamp, String payload) {
        try {
            return key.sign(id, timestamp, payload);
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("Standard Webhooks signing failed", e);
        }
    }

    private static String strictUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SignatureRejectedException(Reason.SIGNATURE_INVALID,
                    "The body is not valid UTF-8, so no Standard Webhooks signature can match it");
        }
    }
}
