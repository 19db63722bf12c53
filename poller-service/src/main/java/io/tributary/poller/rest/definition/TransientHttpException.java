package io.tributary.poller.rest.definition;

import java.time.Duration;

/**
 * A request that failed with a status: {@link #retryable()} when the definition's retry policy lists it,
 * with the server's {@code Retry-After} (zero when absent or not honoured). Messages name the method, URL
 * (without credentials) and status, never a credential.
 */
final class TransientHttpException extends RuntimeException {

    private final int status;
    private final Duration retryAfter;
    private final boolean retryable;

    TransientHttpException(String message, int status, Duration retryAfter, boolean retryable) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
        this.retryable = retryable;
    }

    int status() {
        return status;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    boolean retryable() {
        return retryable;
    }
}
