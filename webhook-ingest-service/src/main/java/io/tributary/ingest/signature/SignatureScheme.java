package io.tributary.ingest.signature;

import java.time.Duration;
import java.util.List;

/**
 * The extension point for a webhook signature scheme: a name (the {@code scheme} of a configured source)
 * and a factory of {@link Verifier}s bound to a source's secrets. Implementations are Spring beans found
 * by {@link SignatureSchemes}; a new scheme is one class and one test.
 */
public interface SignatureScheme {

    /** The configured name, e.g. {@code standard-webhooks}. */
    String name();

    /**
     * A verifier for one source. Called at start-up: a secret in the wrong format fails the start (with a
     * message that does not contain the secret).
     *
     * @param secrets   one or two active secrets (two during a rotation); a signature made with either passes
     * @param tolerance how far a signed timestamp may be from now, either way (schemes that sign one)
     */
    Verifier verifier(List<String> secrets, Duration tolerance);
}
