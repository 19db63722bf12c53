package io.tributary.ingest.signature;

import io.tributary.ingest.signature.SignatureRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe's scheme: {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{body}">[,v1=...]},
 * keyed with the endpoint secret's UTF-8 bytes (the whole {@code whsec_...} string, as Stripe does), with
 * the timestamp checked against the tolerance. The delivery id is the event's top-level {@code id} (Stripe
 * keeps it on redelivery), read from the body once the signature verified.
 */
@Component
final class StripeScheme implements SignatureScheme {

    static final String NAME = "stripe";
    static final String SIGNATURE = "Stripe-Signature";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verifier verifier(List<String> secrets, Duration tolerance) {
        List<byte[]> keys = secrets.stream().map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toList();
        return (headers, body, now) -> {
            String header = Signatures.trimmedOrNull(headers.getFirst(SIGNATURE));
            if (header == null) {
                throw new SignatureRejectedException(Reason.SIGNATURE_MISSING, "Missing " + SIGNATURE + " header");
            }
            String t = null;
            List<String> v1 = new ArrayList<>();
            for (String item : header.split(",")) {
                int eq = item.indexOf('=');
                if (eq > 0) {
                    String name = item.substring(0, eq).trim();
                    if (name.equals("t")) {
                        t = item.substring(eq + 1).trim();
                    } else if (name.equals("v1")) {
                        v1.add(item.substring(eq + 1).trim());
                    }
                }
            }
            if (t == null || v1.isEmpty()) {
                throw new SignatureRejectedException(Reason.SIGNATURE_MISSING,
                        SIGNATURE + " needs a 't=' timestamp and at least one 'v1=' signature");
            }
            Instant timestamp = Signatures.checkTimestamp(t, SIGNATURE + " t", tolerance, now);
            byte[] prefix = (t + ".").getBytes(StandardCharsets.US_ASCII);
            for (byte[] key : keys) {
                String expected = Signatures.hex(Signatures.hmacSha256(key, prefix, body));
                for (String candidate : v1) {
                    if (Signatures.constantTimeEquals(candidate, expected)) {
                        return new VerifiedDelivery(eventId(body), timestamp);
                    }
                }
            }
            throw new SignatureRejectedException(Reason.SIGNATURE_INVALID,
                    "No " + SIGNATURE + " v1 signature matches the body with any active secret of this source");
        };
    }

    private static @Nullable String eventId(byte[] body) {
        try {
            JsonNode id = JSON.readTree(body).get("id");
            return id != null && id.isString() && !id.stringValue().isBlank() ? id.stringValue() : null;
        } catch (JacksonException | NullPointerException e) {
            return null;
        }
    }
}
