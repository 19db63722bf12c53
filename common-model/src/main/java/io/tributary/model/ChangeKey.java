package io.tributary.model;

import java.util.Objects;

/**
 * The Kafka record key of a change event: the source id and the record's external id. Every event about
 * one record carries the same key, so Kafka's default partitioner keeps them in one partition, in order.
 *
 * <p>Encoded as {@code sourceId + ':' + externalId}. Source ids cannot contain ':' (see
 * {@link ChangeEvent#SOURCE_ID_PATTERN}), so the first ':' splits the key even when the opaque external
 * id contains colons.
 */
public record ChangeKey(String sourceId, String externalId) {

    public ChangeKey {
        ChangeEvent.requireSourceId(sourceId);
        ChangeEvent.requireExternalId(externalId);
    }

    public String encode() {
        return sourceId + ':' + externalId;
    }

    public static ChangeKey decode(String encoded) {
        Objects.requireNonNull(encoded, "key");
        int colon = encoded.indexOf(':');
        if (colon <= 0 || colon == encoded.length() - 1) {
            throw new IllegalArgumentException("Malformed change key '" + encoded + "': expected sourceId:externalId");
        }
        return new ChangeKey(encoded.substring(0, colon), encoded.substring(colon + 1));
    }

    @Override
    public String toString() {
        return encode();
    }
}
