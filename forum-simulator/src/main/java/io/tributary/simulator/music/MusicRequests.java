package io.tributary.simulator.music;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Raw calls to the music API by route ({@code "POST /music"}), counted before anything else: replayed creates,
 * refused requests and requests an outage answers count too. The inventory's counts are the effective writes; a
 * test that wants to know how many calls a client made (one local change, exactly one call) reads these.
 * The admin routes (someone at the source) are not counted.
 */
final class MusicRequests {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    HandlerFunction<ServerResponse> counted(String route, HandlerFunction<ServerResponse> handler) {
        return request -> {
            counts.computeIfAbsent(route, r -> new AtomicLong()).incrementAndGet();
            return handler.handle(request);
        };
    }

    /** Route to calls so far, routes never called left out. */
    Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((route, count) -> snapshot.put(route, count.get()));
        return snapshot;
    }
}
