package io.tributary.ingest.signature;

import io.tributary.ingest.signature.SignatureRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * GitHub's scheme: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>} keyed with the secret's
 * UTF-8 bytes; the delivery id is {@code X-GitHub-Delivery}. GitHub signs no timestamp, so there is no
 * tolerance check: a replay within the deduplication window is acknowledged as a duplicate, a later one
 * republishes the same deterministic event, which the writer ignores.
 */
@Component
final class GithubScheme implements SignatureScheme {

    static final String NAME = "github";
    static final String SIGNATURE = "X-Hub-Signature-256";
    static final String DELIVERY = "X-GitHub-Delivery";
    private static final String PREFIX = "sha256=";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verifier verifier(List<String> secrets, Duration tolerance) {
        List<byte[]> keys = secrets.stream().map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toList();
        return (headers, body, now) -> {
            String signature = Signatures.trimmedOrNull(headers.getFirst(SIGNATURE));
            if (signature == null) {
                throw new SignatureRejectedException(Reason.SIGNATURE_MISSING, "Missing " + SIGNATURE + " header");
            }
            if (!signature.startsWith(PREFIX)) {
                throw new SignatureRejectedException(Reason.SIGNATURE_INVALID, SIGNATURE + " must start with 'sha256='");
            }
            for (byte[] key : keys) {
                if (Signatures.constantTimeEquals(signature, PREFIX + Signatures.hex(Signatures.hmacSha256(key, body)))) {
                    return new VerifiedDelivery(Signatures.trimmedOrNull(headers.getFirst(DELIVERY)), null);
                }
            }
            throw new SignatureRejectedException(Reason.SIGNATURE_INVALID,
                    SIGNATURE + " does not match the body with any active secret of this source");
        };
    }
}
