package io.tributary.simulator.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders bodies with the simulator's own mapper, so that what the simulator serves does not depend on
 * any {@code spring.jackson.*} setting (nulls are written: {@code "parent_id": null}).
 */
final class JsonResponses {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonResponses() {
    }

    static Mono<ServerResponse> ok(Object body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(JSON.writeValueAsBytes(body));
    }

    static Mono<ServerResponse> error(HttpStatus status, String error, String message) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(errorBody(error, message));
    }

    /** {@code {"error": "...", "message": "..."}} as bytes. */
    static byte[] errorBody(String error, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("message", message);
        return JSON.writeValueAsBytes(body);
    }
}
