package io.tributary.ingest.signature;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** Finds a {@link SignatureScheme} bean by its configured name. */
@Component
public final class SignatureSchemes {

    private final Map<String, SignatureScheme> byName = new TreeMap<>();

    SignatureSchemes(List<SignatureScheme> schemes) {
        schemes.forEach(scheme -> byName.put(scheme.name(), scheme));
    }

    /** The scheme called {@code name}; throws naming the known ones if there is none. */
    public SignatureScheme byName(String name) {
        SignatureScheme scheme = byName.get(name);
        if (scheme == null) {
            throw new IllegalArgumentException("unknown signature scheme '" + name + "' (known: " + byName.keySet() + ")");
        }
        return scheme;
    }
}
