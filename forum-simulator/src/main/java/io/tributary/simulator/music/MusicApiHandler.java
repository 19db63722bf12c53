package io.tributary.simulator.music;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
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
 * outage switch holds a status, every {@code /music} request is answered with it (and {@code Retry-After: 1}).
 */
final class MusicApiHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_LIMIT = 500;

    private final MusicInventory inventory;
    private final AtomicInteger outage = new AtomicInteger();

    MusicApiHandler(MusicInventory inventory) {
        this.inventory = inventory;
    }

    Mono<ServerResponse> list(ServerRequest request) {
        return available().orElseGet(() -> {
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
        return available().orElseGet(() -> inventory.get(request.pathVariable("id"))
                .map(item -> ok(HttpStatus.OK, item.json()))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "no item " + request.pathVariable("id"))));
    }

    Mono<ServerResponse> create(ServerRequest request) {
        return available().orElseGet(() -> request.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).flatMap(bytes -> {
            Map<String, @Nullable String> body = body(bytes);
            if (body == null) {
                return error(HttpStatus.UNPROCESSABLE_CONTENT, "name must be a string");
            }
            String key = request.headers().firstHeader("Idempotency-Key");
            MusicItem item = inventory.create(key, body.get("name"), body.get("artist"), body.get("album"));
            return ok(HttpStatus.CREATED, item.json());
        }));
    }

    Mono<ServerResponse> replace(ServerRequest request) {
        return available().orElseGet(() -> replaceAtSource(request));
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
        return available().orElseGet(() -> inventory.delete(request.pathVariable("id"))
                ? ServerResponse.noContent().build()
                : error(HttpStatus.NOT_FOUND, "no item " + request.pathVariable("id")));
    }

    /** {@code POST /admin/music/outage?status=503} starts an outage, {@code DELETE} ends it. */
    Mono<ServerResponse> startOutage(ServerRequest request) {
        outage.set(Integer.parseInt(request.queryParam("status").orElse("503")));
        return ServerResponse.noContent().build();
    }

    Mono<ServerResponse> endOutage(ServerRequest request) {
        outage.set(0);
        return ServerResponse.noContent().build();
    }

    /** {@code GET /admin/music/stats}: effective creates, updates, deletes, and replayed creates. */
    Mono<ServerResponse> stats(ServerRequest request) {
        return ok(HttpStatus.OK, inventory.counts());
    }

    /** {@code handler}'s answer, or the outage's while one holds. */
    Mono<ServerResponse> whenAvailable(java.util.function.Supplier<Mono<ServerResponse>> handler) {
        return available().orElseGet(handler);
    }

    private Optional<Mono<ServerResponse>> available() {
        int status = outage.get();
        if (status == 0) {
            return Optional.empty();
        }
        return Optional.of(ServerResponse.status(status).header("Retry-After", "1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(JSON.writeValueAsBytes(
                        Map.of("error", "unavailable", "message", "the music inventory is down (simulated)"))));
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
