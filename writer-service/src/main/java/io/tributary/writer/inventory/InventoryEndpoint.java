package io.tributary.writer.inventory;

import io.tributary.model.inventory.InventoryDigest;
import io.tributary.model.inventory.InventoryEntry;
import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.entity.EntityDefinition;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /inventory/{entity}/digest?source=&buckets=} and {@code POST /inventory/{entity}/entries}
 * (body {@link EntriesRequest}): the main DB's side of a reconciliation, read off the event loop.
 * Bad input is answered with an RFC 9457 problem naming the parameter.
 */
final class InventoryEndpoint {

    private static final Pattern SOURCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /**
     * @param source    the source id
     * @param buckets   the digest's bucket count
     * @param bucketIds the buckets whose entries are wanted
     */
    record EntriesRequest(String source, int buckets, List<Integer> bucketIds) {
    }

    private final CurrentCatalog catalog;
    private final InventoryReader reader;

    InventoryEndpoint(CurrentCatalog catalog, InventoryReader reader) {
        this.catalog = catalog;
        this.reader = reader;
    }

    Mono<ServerResponse> digest(ServerRequest request) {
        Optional<EntityDefinition> entity = catalog.get().find(request.pathVariable("entity"));
        if (entity.isEmpty()) {
            return unknownEntity(request);
        }
        String source = request.queryParam("source").orElse("");
        if (!SOURCE_ID.matcher(source).matches()) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid source", "query parameter 'source' must be a source id, was '"
                    + abbreviate(source) + "'");
        }
        String bucketsParam = request.queryParam("buckets").orElse("1024");
        int buckets;
        try {
            buckets = Integer.parseInt(bucketsParam);
        } catch (NumberFormatException e) {
            buckets = -1;
        }
        if (buckets < 1 || buckets > InventoryDigest.MAX_BUCKETS) {
            return problem(HttpStatus.BAD_REQUEST, "Invalid buckets", "query parameter 'buckets' must be between 1 and "
                    + InventoryDigest.MAX_BUCKETS + ", was '" + abbreviate(bucketsParam) + "'");
        }
        int bucketCount = buckets;
        return read(() -> reader.digest(entity.get(), source, bucketCount));
    }

    Mono<ServerResponse> entries(ServerRequest request) {
        Optional<EntityDefinition> entity = catalog.get().find(request.pathVariable("entity"));
        if (entity.isEmpty()) {
            return unknownEntity(request);
        }
        return request.bodyToMono(EntriesRequest.class)
                .flatMap(body -> {
                    if (body.source() == null || !SOURCE_ID.matcher(body.source()).matches()) {
                        return problem(HttpStatus.BAD_REQUEST, "Invalid source", "'source' must be a source id");
                    }
                    if (body.buckets() < 1 || body.buckets() > InventoryDigest.MAX_BUCKETS) {
                        return problem(HttpStatus.BAD_REQUEST, "Invalid buckets", "'buckets' must be between 1 and "
                                + InventoryDigest.MAX_BUCKETS + ", was " + body.buckets());
                    }
                    Set<Integer> ids = new HashSet<>(body.bucketIds() == null ? List.of() : body.bucketIds());
                    if (ids.stream().anyMatch(id -> id == null || id < 0 || id >= body.buckets())) {
                        return problem(HttpStatus.BAD_REQUEST, "Invalid bucketIds", "'bucketIds' must each be between 0 and "
                                + (body.buckets() - 1));
                    }
                    Callable<List<InventoryEntry>> read = () -> reader.entries(entity.get(), body.source(), body.buckets(), ids);
                    return read(read);
                })
                .onErrorResume(org.springframework.core.codec.DecodingException.class, e -> problem(HttpStatus.BAD_REQUEST,
                        "Malformed request body", "expected {\"source\", \"buckets\", \"bucketIds\"}: " + e.getMostSpecificCause().getMessage()))
                .switchIfEmpty(problem(HttpStatus.BAD_REQUEST, "Missing request body",
                        "expected {\"source\", \"buckets\", \"bucketIds\"}"));
    }

    private static Mono<ServerResponse> read(Callable<?> read) {
        return Mono.fromCallable(read)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(body -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body));
    }

    private Mono<ServerResponse> unknownEntity(ServerRequest request) {
        return problem(HttpStatus.NOT_FOUND, "Unknown entity", "entity '" + abbreviate(request.pathVariable("entity"))
                + "' is not one of " + catalog.get().definitions().stream().map(EntityDefinition::name).toList());
    }

    private static Mono<ServerResponse> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(problem);
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
