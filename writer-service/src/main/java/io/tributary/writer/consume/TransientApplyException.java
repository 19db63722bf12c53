package io.tributary.writer.consume;

/** Applying a batch failed in a way that may succeed later (database busy, I/O): the batch is retried. */
class TransientApplyException extends RuntimeException {

    TransientApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
