package io.tributary.mapping.declarative;

import java.time.ZoneId;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Where a record's version is read and how it becomes the event's {@code sourceVersion} (a long that never
 * goes backwards for one record): {@code integer} takes a whole number (a revision, a sequence) as it is;
 * any date format of {@link Transform.DateParse} (e.g. {@code iso-instant}, {@code epoch-seconds}, a
 * pattern) gives epoch milliseconds.
 */
public record VersionSpec(SourcePath source, String format, ZoneId zone) {

    public static final String INTEGER = "integer";

    public VersionSpec {
        if (!format.equals(INTEGER)) {
            new Transform.DateParse(List.of(format), zone, Transform.DateOutput.EPOCH_MILLIS); // validates the format
        }
    }

    /** The record's version; throws {@link MappingFailedException} when it is missing or not in the format. */
    public long read(JsonNode record) {
        JsonNode value = source.read(record);
        if (value == null) {
            throw new MappingFailedException("$version", "'" + source.text() + "' is missing");
        }
        long version;
        try {
            if (format.equals(INTEGER)) {
                version = (Long) Values.coerce(value, FieldType.INTEGER, true);
            } else {
                JsonNode millis = new Transform.DateParse(List.of(format), zone, Transform.DateOutput.EPOCH_MILLIS)
                        .apply(value, record);
                version = millis == null ? -1 : millis.longValue();
            }
        } catch (IllegalArgumentException e) {
            String notAVersion = "'" + source.text() + "' is not a version in format '" + format + "': ";
            throw new MappingFailedException("$version", notAVersion + e.getMessage(),
                    notAVersion + RejectedValue.withoutValues(e));
        }
        if (version < 0) {
            String below = ", a version below 0" + (format.equals(INTEGER) ? "" : " (before 1970)");
            throw new MappingFailedException("$version", "'" + source.text() + "' is " + Values.describe(value) + below,
                    "'" + source.text() + "' is " + Values.kind(value) + below);
        }
        return version;
    }
}
