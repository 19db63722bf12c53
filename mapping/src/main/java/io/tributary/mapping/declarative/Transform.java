package io.tributary.mapping.declarative;

import io.tributary.model.InstantText;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One step applied to a field's value after it is read and before its default, required check and type
 * apply, in the order the definition lists them. A step receives null for an absent value; most pass an
 * absent value through. A step that cannot apply throws {@link IllegalArgumentException} with the reason
 * (the mapping turns it into a {@link MappingFailedException} naming the field).
 */
public sealed interface Transform {

    /** @param value the current value, null when absent; @param record the record (or array element) mapped */
    @Nullable JsonNode apply(@Nullable JsonNode value, JsonNode record);

    /** The {@code op} name used in definitions. */
    String op();

    JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Removes leading and trailing white space of a string. */
    record Trim() implements Transform {
        @Override
        public @Nullable JsonNode apply(@Nullable JsonNode value, JsonNode record) {
            return value != null && value.isString() ? NODES.stringNode(value.stringValue().strip()) : value;
        }

        @Override
        public String op() {
            return "trim";
        }
    }

    record Lower() implements Transform {
        @Override
        public @Nullable JsonNode apply(@Nullable JsonNode value, JsonNode record) {
            return value != null && value.isString()
                    ? NODES.stringNode(value.stringValue().toLowerCase(Locale.ROOT)) : value;
        }

        @Override
        public String op() {
            return "lower";
        }
    }

    record Upper() implements Transform {
        @Override
        public @Nullable JsonNode apply(@Nullable JsonNode value, JsonNode record) {
            return value != null && value.isString()
                    ? NODES.stringNode(value.stringValue().toUpperCase(Locale.ROOT)) : value;
        }

        @Override
        public String op() {
            return "upper";
        }
    }

    /** Replaces the value (present or not) with a constant. */
    record Constant(JsonNode value) implements Transform {
        @Override
        public JsonNode apply(@Nullable JsonNode current, JsonNode record) {
            return value;
        }

        @Override
        public String op() {
            return "constant";
        }
    }

    /**
     * Joins the current value (when the field has a source and it is present) and the values at
     * {@code sources}, as text, with the separator; absent parts are skipped, and nothing present gives absent.
     */
    record Concat(List<SourcePath> sources, String separator) implements Transform {
        public Concat {
            sources = List.copyOf(sources);
        }

        @Override
        public @Nullable JsonNode apply(@Nullable JsonNode value, JsonNode record) {
            List<String> parts = new ArrayList<>();
            addText(parts, value, "the field's value");
            for (SourcePath source : sources) {
                addText(parts, source.read(record), "'" + source.text() + "'");
            }
            return parts.isEmpty() ? null : NODES.stringNode(String.join(separator, parts));
        }

        private static void addText(List<String> parts, @Nullable JsonNode value, String what) {
            if (value == null) {
                return;
            }
            if (value.isContainer()) {
                throw new RejectedValue("concat: " + what + " is " + Values.describe(value) + ", not a scalar",
                        "concat: " + what + " is " + Values.kind(value) + ", not a scalar");
            }
            parts.add(value.isString() ? value.stringValue() : value.asString());
        }

        @Override
        public String op() {
            return "concat";
        }
    }

    /** What a lookup does with a value that is not in its table (and no default is given). */
    enum OnMissing { ERROR, KEEP, NULL }

    /** Replaces the value (as text) by its entry in the table. */
    record Lookup(Map<String, JsonNode> table, @Nullable JsonNode fallback, OnMissing onMissing) implements Transform {
        public Lookup {
            table = Map.copyOf(table);
        }

        @Override
        public @Nullable JsonNode apply(@Nullable JsonNode value, JsonNode record) {
            if (value == null) {
                return null;
            }
            if (value.isContainer()) {
                throw new RejectedValue("lookup: the value is " + Values.describe(value) + ", not a scalar",
                        "lookup: the value is " + Values.kind(value) + ", not a scalar");
            }
            JsonNode found = table.get(value.isString() ? value.stringValue() : value.asString());
            if (found != null) {
                return found;
            }
            if (fallback != null) {
                return fallback;
            }
            return switch (onMissing) {
                case ERROR -> throw new RejectedValue("lookup: " + Values.describe(value)
                        + " is not in the table " + new java.util.TreeSet<>(table.keySet()),
                        "lookup: a " + Values.kind(value) + " that is not in the table");
                case KEEP -> value;
                case NULL -> null;
            };
        }

        @Override
        public String op() {
            return "lookup";
        }
    }

    /** What a regex extract does when the pattern does not match. */
    enum OnNoMatch { ERROR, NULL }

    /** The first match's group (a number or a name; 0 = the whole match) of the value as text. */
    record RegexExtract(Pattern pattern, String group, OnNoMatch onNoMatch) implements Transform {
        @Override
        public @Nullable JsonNode apply(@Nullable JsonNode value, JsonNode record) {
            if (value == null) {
                return null;
            }
            if (value.isContainer()) {
                throw new RejectedValue("regex: the value is " + Values.describe(value) + ", not a scalar",
                        "regex: the value is " + Values.kind(value) + ", not a scalar");
            }
            Matcher matcher = pattern.matcher(value.isString() ? value.stringValue() : value.asString());
            if (!matcher.find()) {
                if (onNoMatch == OnNoMatch.NULL) {
                    return null;
                }
                throw new RejectedValue("regex: " + Values.describe(value) + " does not match /" + pattern + "/",
                        "regex: a " + Values.kind(value) + " that does not match /" + pattern + "/");
            }
            String extracted = group.chars().allMatch(Character::isDigit)
                    ? matcher.group(Integer.parseInt(group)) : matcher.group(group);
            return extracted == null ? null : NODES.stringNode(extracted);
        }

        @Override
        public String op() {
            return "regex";
        }
    }

    /** Replaces every match of the pattern in the value as text ({@code $1} refers to a group). */
    record Replace(Pattern pattern, String replacement) implements Transform {
        @Override
        public @Nullable JsonNode apply(@Nullable JsonNode value, JsonNode record) {
            if (value == null || !value.isString()) {
                return value;
            }
            return NODES.stringNode(pattern.matcher(value.stringValue()).replaceAll(replacement));
        }

        @Override
        public String op() {
            return "replace";
        }
    }

    /** What a date step produces. */
    enum DateOutput {
        /** {@code Instant.toString()}, e.g. {@code 2026-11-21T10:15:30Z}. */
        ISO_INSTANT,
        /** Epoch milliseconds, a number. */
        EPOCH_MILLIS,
        /** The calendar date in the step's zone, e.g. {@code 2026-11-21}. */
        ISO_DATE
    }

    /**
     * Parses a date with the first of {@code formats} that fits. A format is a {@link DateTimeFormatter}
     * pattern (e.g. {@code dd/MM/yyyy HH:mm}) or one of {@code iso-instant}, {@code iso-offset-date-time},
     * {@code iso-local-date-time}, {@code iso-date}, {@code epoch-millis}, {@code epoch-seconds}. A value
     * without an offset is read in {@code zone}; a date without a time is its start of day.
     */
    record DateParse(List<String> formats, ZoneId zone, DateOutput output) implements Transform {
        public DateParse {
            formats = List.copyOf(formats);
            for (String format : formats) {
                if (!NAMED_FORMATS.contains(format)) {
                    formatter(format); // throws IllegalArgumentException when invalid
                }
            }
        }

        /** Patterns compiled once (definitions name few; a record is parsed many times). */
        private static final Map<String, DateTimeFormatter> FORMATTERS = new java.util.concurrent.ConcurrentHashMap<>();

        private static DateTimeFormatter formatter(String pattern) {
            return FORMATTERS.computeIfAbsent(pattern, p -> DateTimeFormatter.ofPattern(p, Locale.ROOT));
        }

        static final List<String> NAMED_FORMATS = List.of("iso-instant", "iso-offset-date-time",
                "iso-local-date-time", "iso-date", "epoch-millis", "epoch-seconds");

        @Override
        public @Nullable JsonNode apply(@Nullable JsonNode value, JsonNode record) {
            if (value == null) {
                return null;
            }
            for (String format : formats) {
                Instant instant = tryParse(value, format);
                if (instant != null) {
                    return switch (output) {
                        case ISO_INSTANT -> NODES.stringNode(instant.toString());
                        case EPOCH_MILLIS -> NODES.numberNode(instant.toEpochMilli());
                        case ISO_DATE -> NODES.stringNode(LocalDate.ofInstant(instant, zone).toString());
                    };
                }
            }
            throw new RejectedValue("date: " + Values.describe(value) + " matches none of the formats " + formats,
                    "date: a " + Values.kind(value) + " that matches none of the formats " + formats);
        }

        private @Nullable Instant tryParse(JsonNode value, String format) {
            try {
                switch (format) {
                    case "epoch-millis", "epoch-seconds" -> {
                        long number;
                        if (value.isIntegralNumber() && value.canConvertToLong()) {
                            number = value.longValue();
                        } else if (value.isString() && value.stringValue().strip().matches("-?\\d{1,18}")) {
                            number = Long.parseLong(value.stringValue().strip());
                        } else {
                            return null;
                        }
                        return format.equals("epoch-millis") ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number);
                    }
                    default -> {
                        if (!value.isString()) {
                            return null;
                        }
                        String text = value.stringValue().strip();
                        return switch (format) {
                            case "iso-instant" -> InstantText.parse(text);
                            case "iso-offset-date-time" -> OffsetDateTime.parse(text).toInstant();
                            case "iso-local-date-time" -> LocalDateTime.parse(text).atZone(zone).toInstant();
                            case "iso-date" -> LocalDate.parse(text).atStartOfDay(zone).toInstant();
                            default -> fromPattern(text, formatter(format));
                        };
                    }
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                return null;
            }
        }

        private Instant fromPattern(String text, DateTimeFormatter formatter) {
            TemporalAccessor parsed = formatter.parseBest(text, ZonedDateTime::from, OffsetDateTime::from,
                    LocalDateTime::from, LocalDate::from);
            if (parsed instanceof ZonedDateTime zoned) {
                return zoned.toInstant();
            }
            if (parsed instanceof OffsetDateTime offset) {
                return offset.toInstant();
            }
            if (parsed instanceof LocalDateTime local) {
                return local.atZone(zone).toInstant();
            }
            return ((LocalDate) parsed).atStartOfDay(zone).toInstant();
        }

        @Override
        public String op() {
            return "date";
        }
    }
}
