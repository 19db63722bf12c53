package io.tributary.poller.rest;

/** A listing request that failed for good in this pass: a permanent answer, or retries exhausted. */
final class ListingFailedException extends RuntimeException {

    ListingFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    ListingFailedException(String message) {
        super(message);
    }
}
