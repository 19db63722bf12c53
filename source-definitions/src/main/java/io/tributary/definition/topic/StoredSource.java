package io.tributary.definition.topic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One value of the config topic ({@code tributary.config.sources}, decision 0020) as the admin service writes it ({@code {"definition": {...}, "state":
 * {"paused": .., "resyncRequestedAt": ..}}}): the definition as JSON text, whether it is paused, and the
 * instant of the last resync request, which is compared, never parsed. Read by every service that follows the
 * topic (pollers: decision 0022; webhook receivers: 0027).
 */
public record StoredSource(String key, String definitionJson, String kind, String sourceId, boolean paused,
        @Nullable String resyncRequestedAt) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Reads a topic value; a value that is not one names what is wrong. The key must be the definition's
     * {@code <organization>/<id>}, as the admin service writes it: the organization in the key is the one whose
     * secrets the definition may use (decision 0031), so a value written by other means cannot claim another's.
     */
    public static StoredSource read(String key, byte[] value) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        JsonNode definition = node == null ? null : node.get("definition");
        if (definition == null || !definition.isObject()) {
            throw new IllegalArgumentException("no 'definition' object");
        }
        String named = definition.path("organization").asString("") + "/" + definition.path("id").asString("");
        if (!named.equals(key)) {
            throw new IllegalArgumentException("the key is not the definition's <organization>/<id> ('" + named + "')");
        }
        JsonNode state = node.get("state");
        boolean paused = state != null && state.path("paused").asBoolean(false);
        JsonNode resync = state == null ? null : state.get("resyncRequestedAt");
        return new StoredSource(key, JSON.writeValueAsString(definition), definition.path("kind").asString("rest"),
                definition.path("id").asString(""), paused,
                resync == null || resync.isNull() ? null : resync.toString());
    }

    /** The organization the definition belongs to (the key's first part, equal to the definition's). */
    public String organization() {
        return organizationOf(key);
    }

    /**
     * The organization a topic key {@code <organization>/<id>} names, for a value that may not be read as a stored
     * source: empty when the key has no slash.
     */
    public static String organizationOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    /** The source id a topic key {@code <organization>/<id>} names: the whole key when it has no slash. */
    public static String sourceIdOf(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    /**
     * The entity names the definition declares ({@code entities[*].name}, read from its JSON whatever else is wrong
     * with it): what {@link EntityClaims} holds for its organization.
     */
    public java.util.Set<String> entityNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        JSON.readTree(definitionJson).path("entities").forEach(entity -> {
            JsonNode name = entity.path("name");
            if (name.isString() && !name.asString().isEmpty()) {
                names.add(name.asString());
            }
        });
        return names;
    }

    /** Names the definition's content: equal definitions, equal fingerprints. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(definitionJson.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
