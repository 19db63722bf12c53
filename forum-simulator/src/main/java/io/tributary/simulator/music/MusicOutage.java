package io.tributary.simulator.music;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outage switch of the music API ({@code POST /admin/music/outage}): while one holds, the requests it covers
 * are answered with its status and {@code Retry-After: 1}. It covers every method unless {@code methods} names
 * some (a source whose updates fail while its reads and creates work); with {@code applied} the request is served
 * first and only its answer is lost (a create done at the source whose client never learns it: the crash window
 * idempotency keys exist for).
 */
final class MusicOutage {

    /** @param methods upper-case HTTP methods covered; empty = all */
    record Mode(int status, Set<String> methods, boolean applied) {

        boolean covers(ServerRequest request) {
            return methods.isEmpty() || methods.contains(request.method().name());
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AtomicReference<Optional<Mode>> mode = new AtomicReference<>(Optional.empty());

    void start(Mode outage) {
        mode.set(Optional.of(outage));
    }

    void end() {
        mode.set(Optional.empty());
    }

    /** {@code handler}'s answer, the outage's instead of it, or the outage's after it ({@code applied}). */
    Mono<ServerResponse> serve(ServerRequest request, Supplier<Mono<ServerResponse>> handler) {
        Optional<Mode> current = mode.get().filter(outage -> outage.covers(request));
        if (current.isEmpty()) {
            return handler.get();
        }
        Mode outage = current.get();
        return outage.applied() ? handler.get().flatMap(served -> answer(outage)) : answer(outage);
    }

    /** {@code POST /admin/music/outage?status=503&methods=PUT,DELETE&applied=true} as a mode. */
    static Mode parse(ServerRequest request) {
        int status = Integer.parseInt(request.queryParam("status").orElse("503"));
        Set<String> methods = request.queryParam("methods").map(list -> Set.of(list.toUpperCase(Locale.ROOT).split(",")))
                .orElse(Set.of());
        return new Mode(status, methods, Boolean.parseBoolean(request.queryParam("applied").orElse("false")));
    }

    private static Mono<ServerResponse> answer(Mode outage) {
        return ServerResponse.status(outage.status()).header("Retry-After", "1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(JSON.writeValueAsBytes(
                        Map.of("error", "unavailable", "message", "the music inventory is down (simulated)")));
    }
}
