package io.tributary.mapping.declarative;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A record after mapping: its external id, its version and its payload (target field names, in
 * definition order; an optional absent field is present with a null value).
 */
public record MappedRecord(String externalId, long sourceVersion, Map<String, @Nullable Object> payload) {

    public MappedRecord {
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }
}
