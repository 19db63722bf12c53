package io.tributary.definition;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Webhooks in (the source pushes changes to the receiver, verified with its scheme and secrets) and out
 * (our changes to an entity are sent to the source: what makes a source two-way).
 */
public record Webhooks(@Nullable Inbound inbound, List<Outbound> outbound) {

    public Webhooks {
        outbound = List.copyOf(Objects.requireNonNullElse(outbound, List.of()));
    }

    public static Webhooks none() {
        return new Webhooks(null, List.of());
    }

    /**
     * @param scheme    the signature scheme ({@code standard-webhooks}, {@code github}, {@code stripe})
     * @param secrets   one or two (during a rotation) secret references
     * @param tolerance how far a signed timestamp may be from now
     * @param events    event-type prefix (e.g. {@code message.}) to entity
     */
    public record Inbound(String scheme, List<SecretRef> secrets, Duration tolerance, Map<String, String> events) {
        public Inbound {
            secrets = List.copyOf(secrets);
            tolerance = Objects.requireNonNullElse(tolerance, Duration.ofMinutes(5));
            events = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(events));
        }
    }

    /**
     * A signed Standard Webhooks message sent on {@code on} (create, update, delete) of {@code entity} to
     * {@code url} (decision 0028): {@code {"type": "<eventPrefix>.<created|updated|deleted>", "timestamp", "data"}},
     * {@code data} being the mapping reversed plus the record's key (once known), signed with {@code secret}.
     *
     * @param eventPrefix the event type's prefix (default: the entity name)
     * @param secret      the signing secret ({@code whsec_<base64>}), a reference
     * @param response    where the receiver's answer to a create carries the new record's id and version
     *                    (defaults: the mapping key's and version's source paths)
     */
    public record Outbound(String entity, String url, String method, List<String> on, Auth auth,
            @Nullable String eventPrefix, SecretRef secret, Delivery.Response response) {
        public Outbound {
            method = Objects.requireNonNullElse(method, "POST");
            on = List.copyOf(on);
            auth = Objects.requireNonNullElse(auth, new Auth.None());
            Objects.requireNonNull(secret, "secret");
            response = Objects.requireNonNullElse(response, new Delivery.Response(null, null));
        }

        /** The event type of {@code op} ({@code create}, {@code update}, {@code delete}): {@code music.created}. */
        public String eventType(String op) {
            return (eventPrefix == null ? entity : eventPrefix) + "." + op + "d";
        }
    }
}
