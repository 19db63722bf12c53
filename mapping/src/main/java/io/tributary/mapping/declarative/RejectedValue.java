package io.tributary.mapping.declarative;

/**
 * A record value that a mapping step refuses. {@link #getMessage()} shows a short form of the value (for the log and
 * the dead letter's headers, beside the record itself); {@link #withoutValue()} says the same without it, for places
 * that must not show record contents, such as a source's status read through the admin API.
 */
final class RejectedValue extends IllegalArgumentException {

    private final String withoutValue;

    RejectedValue(String message, String withoutValue) {
        super(message);
        this.withoutValue = withoutValue;
    }

    String withoutValue() {
        return withoutValue;
    }

    /**
     * The reason of {@code e} without record values: a {@link RejectedValue}'s own; any other exception's message may
     * quote the value (a JDK parser's does), so only that the value was refused.
     */
    static String withoutValues(IllegalArgumentException e) {
        return e instanceof RejectedValue rejected ? rejected.withoutValue() : "the value is refused";
    }
}
