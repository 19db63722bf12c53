package io.tributary.ingest.receive;

import io.tributary.ingest.signature.Verifier;
import java.util.Map;

/** A source ready to receive: its id, scheme name, verifier (bound to its secrets) and event-type mapping. */
record ConfiguredSource(String id, String scheme, Verifier verifier, Map<String, String> entities) {

    @Override
    public String toString() {
        return id + " (" + scheme + ")";
    }
}
