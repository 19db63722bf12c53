package io.tributary.mapping.declarative;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** JSON values to payload values, and values as they appear in error messages. */
final class Values {

    private static final int MAX_SHOWN = 60;

    private Values() {
    }

    /** Coerces a present (non-null) value to the type; throws {@link IllegalArgumentException} with the reason. */
    static Object coerce(JsonNode value, FieldType type, boolean coerce) {
        return switch (type) {
            case STRING -> {
                if (value.isString()) {
                    yield value.stringValue();
                }
                if (coerce && value.isNumber()) {
                    yield value.isIntegralNumber() ? value.bigIntegerValue().toString()
                            : value.decimalValue().stripTrailingZeros().toPlainString();
                }
                if (coerce && value.isBoolean()) {
                    yield Boolean.toString(value.booleanValue());
                }
                throw mismatch(type, value);
            }
            case INTEGER -> {
                BigDecimal number = decimal(value, type, coerce);
                try {
                    yield number.longValueExact();
                } catch (ArithmeticException e) {
                    throw new RejectedValue("expected integer, got " + describe(value) + " (not whole or out of range)",
                            "expected integer, got " + kind(value) + " (not whole or out of range)");
                }
            }
            case NUMBER -> FieldType.number(decimal(value, type, coerce));
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    yield value.booleanValue();
                }
                if (coerce && value.isString()) {
                    switch (value.stringValue().strip().toLowerCase(Locale.ROOT)) {
                        case "true", "yes", "y", "on", "1":
                            yield true;
                        case "false", "no", "n", "off", "0":
                            yield false;
                        default:
                            break;
                    }
                }
                if (coerce && value.isIntegralNumber() && (value.longValue() == 0 || value.longValue() == 1)) {
                    yield value.longValue() == 1;
                }
                throw mismatch(type, value);
            }
            case TIMESTAMP -> {
                if (!value.isString()) {
                    throw mismatch(type, value);
                }
                yield FieldType.timestamp(value.stringValue().strip());
            }
            case ARRAY, OBJECT -> throw new IllegalStateException("containers are mapped by FieldMapping");
            case ANY -> {
                Object any = toJava(value);
                if (any == null) {
                    throw new IllegalStateException("a present value is never null");
                }
                yield any;
            }
        };
    }

    private static BigDecimal decimal(JsonNode value, FieldType type, boolean coerce) {
        if (value.isNumber()) {
            if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
                throw mismatch(type, value);
            }
            return value.decimalValue();
        }
        if (coerce && value.isString()) {
            try {
                return new BigDecimal(value.stringValue().strip());
            } catch (NumberFormatException e) {
                throw mismatch(type, value);
            }
        }
        throw mismatch(type, value);
    }

    private static IllegalArgumentException mismatch(FieldType type, JsonNode value) {
        return new RejectedValue("expected " + type.jsonName() + ", got " + describe(value),
                "expected " + type.jsonName() + ", got " + kind(value));
    }

    /** A JSON value as a payload value: objects become maps and arrays lists, in source order. */
    static @Nullable Object toJava(@Nullable JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isString()) {
            return value.stringValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return FieldType.number(value.decimalValue());
        }
        if (value.isArray()) {
            List<@Nullable Object> list = new ArrayList<>();
            value.values().forEach(element -> list.add(toJava(element)));
            return list;
        }
        if (value.isObject()) {
            Map<String, @Nullable Object> map = new LinkedHashMap<>();
            value.properties().forEach(entry -> map.put(entry.getKey(), toJava(entry.getValue())));
            return map;
        }
        return value.asString();
    }

    /** The JSON type and (short) value, e.g. {@code string "abc"}, {@code object}. */
    static String describe(@Nullable JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        String type = value.getNodeType().name().toLowerCase(Locale.ROOT);
        if (value.isContainer()) {
            return type;
        }
        return type + " " + abbreviate(value.toString());
    }

    /** The JSON type alone, e.g. {@code string}: {@link #describe} without the value. */
    static String kind(@Nullable JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        return value.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    static String abbreviate(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "…(" + text.length() + " chars)";
    }
}
