package io.tributary.definition;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the application's changes to one entity of a two-way source are delivered to it over REST
 * (issue 6, decision 0025): one call per operation, the body built by reversing the entity's mapping (each
 * mapped field's {@code source} path gives where its value goes; transforms are not reversed).
 *
 * @param create               the call that creates a record (default method POST)
 * @param update               the call that replaces a record, {@code {id}} being its external id (default PUT)
 * @param delete               the call that deletes a record (default DELETE)
 * @param response             where the created record's id and version sit in the create response
 * @param idempotencyKeyHeader the header that carries the change id, when the API honours one
 * @param ifMatch              an update or delete is sent with {@code If-Match: <the ETag the conflict check's read
 *                             answered>}, so a change made at the source between that read and the write is not
 *                             overwritten: the source answers 412 and the change is evaluated again (default false)
 */
public record Delivery(Call create, Call update, Call delete, Response response, @Nullable String idempotencyKeyHeader,
        Boolean ifMatch) {

    public Delivery {
        ifMatch = Objects.requireNonNullElse(ifMatch, false);
        create = create.withDefaultMethod("POST");
        update = update.withDefaultMethod("PUT");
        delete = delete.withDefaultMethod("DELETE");
        response = Objects.requireNonNullElse(response, new Response(null, null));
    }

    /** {@code method baseUrl + path}; {@code {id}} in the path is replaced by the external id (URL-encoded). */
    public record Call(@Nullable String method, String path) {

        Call withDefaultMethod(String fallback) {
            return method == null ? new Call(fallback, path) : this;
        }

        /** The method, after the defaults were applied by {@link Delivery}. */
        @Override
        public String method() {
            return Objects.requireNonNull(method, "method");
        }
    }

    /**
     * Source paths into the create response: {@code id} (default: the mapping key's source path) and
     * {@code version} (default: the mapping version's source path, read in the mapping's version format).
     */
    public record Response(@Nullable String id, @Nullable String version) {
    }
}
