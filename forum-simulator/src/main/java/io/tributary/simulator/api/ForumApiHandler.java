package io.tributary.simulator.api;

import io.tributary.simulator.store.ForumCollection;
import io.tributary.simulator.store.ForumPage;
import io.tributary.simulator.store.ForumStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The external forum API: listing and one record. JDBC runs on the bounded-elastic scheduler. */
final class ForumApiHandler {

    private static final Logger log = LoggerFactory.getLogger(ForumApiHandler.class);

    private final ForumStore store;

    ForumApiHandler(ForumStore store) {
        this.store = store;
    }

    Mono<ServerResponse> list(ServerRequest request) {
        Optional<ForumCollection> collection = ForumCollection.byPath(request.pathVariable("collection"));
        if (collection.isEmpty()) {
            return unknownCollection(request);
        }
        ListingRequest query;
        try {
            query = ListingRequest.parse(request.queryParam("updated_since"), request.queryParam("page"),
                    request.queryParam("per_page"));
        } catch (ListingRequest.InvalidParameter e) {
            return JsonResponses.error(HttpStatus.BAD_REQUEST, "bad_request", e.getMessage());
        }
        return Mono.fromCallable(() -> store.page(collection.get(), query.sinceMillis(), query.page(), query.perPage()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(page -> {
                    log.trace("Listed {} page {} ({} records)", collection.get().path(), page.page(), page.data().size());
                    return JsonResponses.ok(body(page));
                });
    }

    Mono<ServerResponse> one(ServerRequest request) {
        Optional<ForumCollection> collection = ForumCollection.byPath(request.pathVariable("collection"));
        if (collection.isEmpty()) {
            return unknownCollection(request);
        }
        String id = request.pathVariable("id");
        return Mono.fromCallable(() -> store.find(collection.get(), id))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(found -> found.isPresent()
                        ? JsonResponses.ok(found.get())
                        : JsonResponses.error(HttpStatus.NOT_FOUND, "not_found",
                                "No " + collection.get().singular() + " with id '" + id + "'"));
    }

    private static Mono<ServerResponse> unknownCollection(ServerRequest request) {
        return JsonResponses.error(HttpStatus.NOT_FOUND, "not_found", "Unknown collection '"
                + request.pathVariable("collection") + "' (expected users, sections, topics or messages)");
    }

    private static Map<String, Object> body(ForumPage page) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("page", page.page());
        meta.put("per_page", page.perPage());
        meta.put("has_more", page.hasMore());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", page.data());
        body.put("meta", meta);
        return body;
    }
}
