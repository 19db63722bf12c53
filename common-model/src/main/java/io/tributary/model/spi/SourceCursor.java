package io.tributary.model.spi;

import java.util.Map;
import java.util.TreeMap;

/**
 * A position in a {@link SourcePartition}, opaque to the runtime and durable as string fields (like a
 * Kafka Connect source offset). Each {@link SourceTask} converts it to and from its own typed cursor.
 */
public record SourceCursor(Map<String, String> fields) {

    public SourceCursor {
        fields = Map.copyOf(fields);
    }

    /** A copy sorted by field name, for stable serialization and readable logs. */
    public Map<String, String> sorted() {
        return new TreeMap<>(fields);
    }
}
