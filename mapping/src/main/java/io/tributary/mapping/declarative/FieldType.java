package io.tributary.mapping.declarative;

import io.tributary.model.InstantText;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The type a mapped field must have in the change event's payload. With coercion (the default) a value
 * of another JSON type is converted when that is lossless and unambiguous ({@code "42"} to an integer,
 * {@code 42} to {@code "42"}, {@code "yes"} to true); without it only the exact JSON type is accepted.
 * Payload values are Java {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List}, {@code Map}.
 */
public enum FieldType {
    STRING,
    /** A whole number that fits in a long. */
    INTEGER,
    /** Any finite number: a Long when whole and in range, otherwise a Double. */
    NUMBER,
    BOOLEAN,
    /** An ISO-8601 instant (or date-time with offset), normalized to UTC ({@code Instant.toString()}). */
    TIMESTAMP,
    ARRAY,
    OBJECT,
    /** Any JSON value, copied as it is. */
    ANY;

    /** The name used in definitions: {@code string}, {@code integer}, ... */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FieldType> fromJsonName(String name) {
        for (FieldType type : values()) {
            if (type.jsonName().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    static Object number(BigDecimal value) {
        try {
            return value.longValueExact();
        } catch (ArithmeticException notWholeOrTooLarge) {
            double d = value.doubleValue();
            if (Double.isInfinite(d)) {
                throw new RejectedValue("number " + value + " is out of range", "a number is out of range");
            }
            return d;
        }
    }

    static String timestamp(String text) {
        try {
            return InstantText.format(InstantText.parse(text)); // Instant.parse(text).toString(), cheaper
        } catch (DateTimeParseException notAnInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant().toString();
            } catch (DateTimeParseException e) {
                throw new RejectedValue("'" + Values.abbreviate(text) + "' is not an ISO-8601 instant",
                        "a string that is not an ISO-8601 instant");
            }
        }
    }
}
