package io.tributary.simulator.music;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /music}: list, get, create, replace, delete. A body is {@code {"name": ..., "artist": ..., "album": ...}};
 * a create without a {@code name} string is refused with 422 (a permanent error for the client). While the
 * outage switch ({@link MusicOutage}) holds, the {@code /music} requests it covers are answered with its status.
 * The {@code /admin/music/items} routes are someone at the source changing the inventory: never in an outage.
 */
final class MusicApiHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_LIMIT = 500;

    private final MusicInventory inventory;
    private final MusicRequests requests;
    private final MusicOutage outage = new MusicOutage();

    MusicApiHandler(MusicInventory inventory, MusicRequests requests) {
        this.inventory = inventory;
        this.requests = requests;
    }

    Mono<ServerResponse> list(ServerRequest request) {
        return outage.serve(request, () -> {
            int offset;
            int limit;
            try {
                offset = Integer.parseInt(request.queryParam("offset").orElse("0"));
                limit = Integer.parseInt(request.queryParam("limit").orElse(String.valueOf(MAX_LIMIT)));
            } catch (NumberFormatException e) {
                return error(HttpStatus.BAD_REQUEST, "offset and limit must be whole numbers");
            }
            if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
                return error(HttpStatus.BAD_REQUEST, "offset must be >= 0 and limit 1.." + MAX_LIMIT);
            }
            return ok(HttpStatus.OK, inventory.list(offset, limit).stream().map(MusicItem::json).toList());
        });
    }

    Mono<ServerResponse> one(ServerRequest request) {
        return outage.serve(request, () -> inventory.get(request.pathVariable("id"))
                .map(item -> ok(HttpStatus.OK, item.json()))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "no item " + request.pathVariable("id"))));
    }

    Mono<ServerResponse> create(ServerRequest request) {
        return outage.serve(request, () -> createAtSource(request));
    }

    /** {@code POST /admin/music/items}: someone at the source adds an item (no idempotency key, no outage). */
    Mono<ServerResponse> createAtSource(ServerRequest request) {
        return request.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).flatMap(bytes -> {
            Map<String, @Nullable String> body = body(bytes);
            if (body == null) {
                return error(HttpStatus.UNPROCESSABLE_CONTENT, "name must be a string");
            }
            String key = request.headers().firstHeader("Idempotency-Key");
            MusicItem item = inventory.create(key, body.get("name"), body.get("artist"), body.get("album"));
            return ok(HttpStatus.CREATED, item.json());
        });
    }

    Mono<ServerResponse> replace(ServerRequest request) {
        return outage.serve(request, () -> replaceAtSource(request));
    }

    /**
     * {@code PUT /admin/music/items/{id}}: someone at the source edits an item, even while the API is down for
     * its clients (tests make both sides change an item for conflict tests this way).
     */
    Mono<ServerResponse> replaceAtSource(ServerRequest request) {
        return request.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).flatMap(bytes -> {
            Map<String, @Nullable String> body = body(bytes);
            if (body == null) {
                return error(HttpStatus.UNPROCESSABLE_CONTENT, "name must be a string");
            }
            String id = request.pathVariable("id");
            return inventory.replace(id, body.get("name"), body.get("artist"), body.get("album"))
                    .map(item -> ok(HttpStatus.OK, item.json()))
                    .orElseGet(() -> error(HttpStatus.NOT_FOUND, "no item " + id));
        });
    }

    Mono<ServerResponse> delete(ServerRequest request) {
        return outage.serve(request, () -> deleteAtSource(request));
    }

    /** {@code DELETE /admin/music/items/{id}}: someone at the source removes an item (no outage). */
    Mono<ServerResponse> deleteAtSource(ServerRequest request) {
        return inventory.delete(request.pathVariable("id"))
                ? ServerResponse.noContent().build()
                : error(HttpStatus.NOT_FOUND, "no item " + request.pathVariable("id"));
    }

    /**
     * {@code POST /admin/music/outage?status=503[&methods=PUT,DELETE][&applied=true]} starts an outage (see
     * {@link MusicOutage}), {@code DELETE} ends it.
     */
    Mono<ServerResponse> startOutage(ServerRequest request) {
        outage.start(MusicOutage.parse(request));
        return ServerResponse.noContent().build();
    }

    Mono<ServerResponse> endOutage(ServerRequest request) {
        outage.end();
        return ServerResponse.noContent().build();
    }

    /**
     * {@code GET /admin/music/stats}: effective creates, updates, deletes, replayed creates, and {@code requests}:
     * the raw calls per route ({@link MusicRequests}).
     */
    Mono<ServerResponse> stats(ServerRequest request) {
        MusicInventory.Counts counts = inventory.counts();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("creates", counts.creates());
        stats.put("updates", counts.updates());
        stats.put("deletes", counts.deletes());
        stats.put("replays", counts.replays());
        stats.put("requests", requests.snapshot());
        return ok(HttpStatus.OK, stats);
    }

    /** {@code handler}'s answer, or the outage's while one covers {@code request}. */
    Mono<ServerResponse> whenAvailable(ServerRequest request, java.util.function.Supplier<Mono<ServerResponse>> handler) {
        return outage.serve(request, handler);
    }

    /** The item's fields, or null when {@code name} is missing or not a string. */
    private static @Nullable Map<String, @Nullable String> body(byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (RuntimeException e) {
            return null;
        }
        if (node == null || !node.isObject() || !node.path("name").isString()) {
            return null;
        }
        Map<String, @Nullable String> fields = new LinkedHashMap<>();
        for (String field : new String[] {"name", "artist", "album"}) {
            JsonNode value = node.get(field);
            fields.put(field, value == null || value.isNull() ? null : value.asString());
        }
        return fields;
    }

    private static Mono<ServerResponse> ok(HttpStatus status, Object body) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(JSON.writeValueAsBytes(body));
    }

    private static Mono<ServerResponse> error(HttpStatus status, String message) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(JSON.writeValueAsBytes(
                Map.of("error", status.name().toLowerCase(java.util.Locale.ROOT), "message", message)));
    }
}
