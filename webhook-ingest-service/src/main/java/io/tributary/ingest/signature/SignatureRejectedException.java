package io.tributary.ingest.signature;

/**
 * A delivery whose signature does not verify. The message names the problem (a missing header, no
 * matching signature, a timestamp outside the tolerance) and never contains a secret or a signature.
 */
public final class SignatureRejectedException extends RuntimeException {

    /** Why, as a low-cardinality metrics tag and problem name. */
    public enum Reason {
        SIGNATURE_MISSING("signature-missing"),
        SIGNATURE_INVALID("signature-invalid"),
        TIMESTAMP_OUT_OF_TOLERANCE("timestamp-out-of-tolerance");

        private final String slug;

        Reason(String slug) {
            this.slug = slug;
        }

        /** e.g. {@code signature-invalid}. */
        public String slug() {
            return slug;
        }
    }

    private final Reason reason;

    public SignatureRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
