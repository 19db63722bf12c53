package io.tributary.definition;

import io.tributary.mapping.declarative.MappingParser;
import io.tributary.mapping.declarative.RecordMapping;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.module.SimpleModule;

/** Binding of the parts of a definition that are not plain records: durations written {@code 30s}, and mappings. */
final class DefinitionModule extends SimpleModule {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    DefinitionModule() {
        super("tributary-source-definitions");
        addDeserializer(Duration.class, new ValueDeserializer<Duration>() {
            @Override
            public Duration deserialize(JsonParser parser, DeserializationContext context) {
                String text = parser.getString();
                try {
                    return duration(text);
                } catch (IllegalArgumentException e) {
                    return context.reportInputMismatch(Duration.class, e.getMessage());
                }
            }
        });
        addDeserializer(RecordMapping.class, new ValueDeserializer<RecordMapping>() {
            @Override
            public RecordMapping deserialize(JsonParser parser, DeserializationContext context) {
                // the loader has parsed every mapping with its path before binding: this cannot fail then
                return MappingParser.parse(context.readTree(parser));
            }
        });
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, or ISO-8601 ({@code PT30S}). */
    static Duration duration(String text) {
        Matcher matcher = SHORT_DURATION.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 500ms, 30s, 5m, 1h, 1d, PT30S)");
        }
    }
}
