package io.tributary.definition;

import io.tributary.mapping.declarative.RecordMapping;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entity of a source: where its records are listed, how the listing is paged and filtered, where the
 * records sit in a response, how each maps, and where it lands.
 *
 * @param name        the entity (topic {@code tributary.changes.<name>})
 * @param endpoint    the listing (and optionally one record's) path; required for a {@code rest} source
 * @param pagination  how the listing is walked
 * @param incremental the filter that asks for records changed since a point; null for full listings only
 * @param records     where the list sits in the response body, and how the last page is recognised
 * @param mapping     the declarative mapping (which also says where the record's version is)
 * @param target      the table the records land in
 * @param delivery    for a two-way source: how the application's changes are sent back over REST; null when
 *                    they are not (one-way, or delivered by an outbound webhook)
 */
public record EntitySource(String name, @Nullable Endpoint endpoint, Pagination pagination,
        @Nullable Incremental incremental, RecordSelector records, RecordMapping mapping, @Nullable Target target,
        @Nullable Delivery delivery) {

    public EntitySource {
        pagination = Objects.requireNonNullElse(pagination, new Pagination.None());
        records = Objects.requireNonNullElse(records, new RecordSelector("$", null, null));
    }

    /** An entity without REST delivery. */
    public EntitySource(String name, @Nullable Endpoint endpoint, Pagination pagination,
            @Nullable Incremental incremental, RecordSelector records, RecordMapping mapping, @Nullable Target target) {
        this(name, endpoint, pagination, incremental, records, mapping, target, null);
    }

    /**
     * {@code GET baseUrl + path?query}; {@code itemPath} (e.g. {@code /users/{id}}) reads one record. A query value
     * may be a credential reference ({@code ${env:NAME}}, {@code ${file:/path}}): it is resolved where the request is
     * sent, within the definition's {@link SecretScope}, and never written into a URL that is logged; a parameter whose
     * name says it is a credential ({@code api_key}, {@code token}, ...) must be one (the loader refuses a literal).
     */
    public record Endpoint(String path, String method, Map<String, String> query, @Nullable String itemPath) {
        public Endpoint {
            method = Objects.requireNonNullElse(method, "GET");
            query = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNullElse(query, Map.of())));
        }

        /** The query parameters sent as written (those that are not references). */
        public Map<String, String> plainQuery() {
            Map<String, String> plain = new LinkedHashMap<>();
            query.forEach((name, value) -> {
                if (!SecretRef.isReference(value)) {
                    plain.put(name, value);
                }
            });
            return plain;
        }

        /** The query parameters whose values are credential references, resolved when the request is sent. */
        public Map<String, SecretRef> secretQuery() {
            Map<String, SecretRef> secret = new LinkedHashMap<>();
            query.forEach((name, value) -> {
                if (SecretRef.isReference(value)) {
                    secret.put(name, new SecretRef(value));
                }
            });
            return secret;
        }
    }

    /**
     * Asks the source for records changed since a point: {@code param} carries it, written in {@code format}
     * ({@code iso-instant}, {@code epoch-millis}, {@code epoch-seconds} or a date pattern), started
     * {@code overlap} earlier than the last version seen (the forum's inclusive, shared-timestamp filter).
     */
    public record Incremental(String param, String format, java.time.@Nullable Duration overlap) {
    }

    /**
     * @param path    source path of the list in the body ({@code $} when the body is the list)
     * @param hasMore source path of a boolean saying another page follows; null to rely on the pagination
     * @param total   source path of the total count; null when the source gives none
     */
    public record RecordSelector(String path, @Nullable String hasMore, @Nullable String total) {
    }
}
