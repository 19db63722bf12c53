package io.tributary.ingest.signature;

import io.tributary.ingest.signature.SignatureRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/** HMAC, constant-time comparison and timestamp checks shared by the schemes of this package. */
final class Signatures {

    private Signatures() {
    }

    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Constant-time equality of two ASCII strings (a signature as received and as expected). */
    static boolean constantTimeEquals(String received, String expected) {
        return MessageDigest.isEqual(received.getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII));
    }

    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** The Unix-seconds timestamp as an instant, or a rejection if absent, unreadable or outside the tolerance. */
    static Instant checkTimestamp(@Nullable String unixSeconds, String header, Duration tolerance, Instant now) {
        if (unixSeconds == null || unixSeconds.isBlank()) {
            throw new SignatureRejectedException(Reason.SIGNATURE_MISSING, "Missing signature timestamp (" + header + ")");
        }
        long seconds;
        try {
            seconds = Long.parseLong(unixSeconds.trim());
        } catch (NumberFormatException e) {
            throw new SignatureRejectedException(Reason.SIGNATURE_INVALID,
                    "Signature timestamp (" + header + ") is not Unix seconds");
        }
        Instant timestamp = Instant.ofEpochSecond(seconds);
        Duration skew = Duration.between(timestamp, now).abs();
        if (skew.compareTo(tolerance) > 0) {
            throw new SignatureRejectedException(Reason.TIMESTAMP_OUT_OF_TOLERANCE, "Signature timestamp " + timestamp
                    + " is " + skew.toSeconds() + " s away from now, outside the tolerance of " + tolerance.toSeconds()
                    + " s (a replay, or a sender clock that is off)");
        }
        return timestamp;
    }

    static @Nullable String trimmedOrNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
