package io.tributary.writer.consume;

/**
 * The database refuses one change whatever we do (a constraint that can never hold): the record is
 * dead-lettered, not retried.
 */
class PermanentApplyException extends RuntimeException {

    PermanentApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
