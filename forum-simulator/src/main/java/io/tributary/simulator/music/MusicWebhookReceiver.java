package io.tributary.simulator.music;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /music/webhooks}: the music inventory's "output webhook" receiver (the second brief's
 * {@code /sync/create}), where a two-way sync sends the application's changes as Standard Webhooks messages:
 * {@code {"type": "music.created|updated|deleted", "timestamp", "data": {"id"?, "name", "artist", "album"}}}.
 * The signature is checked here with a plain HMAC (not the library the sender uses: two implementations that
 * agree). A created item is answered 201 with the item (its id and updatedAt), the {@code webhook-id} serving as
 * the idempotency key (a redelivered message answers the first item); updated → 200 with the item; deleted → 204;
 * an unknown id → 404. A missing or wrong signature, or a timestamp more than 5 minutes off → 401.
 */
final class MusicWebhookReceiver {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final MusicInventory inventory;
    private final byte[] key;
    private final Clock clock;
    private final AtomicLong rejected = new AtomicLong();

    /** {@code secret}: {@code whsec_} + base64 of the key bytes. */
    MusicWebhookReceiver(MusicInventory inventory, String secret, Clock clock) {
        if (!secret.startsWith("whsec_")) {
            throw new IllegalArgumentException("forum-simulator.music.webhook-secret must be 'whsec_' + base64 of the key");
        }
        this.inventory = inventory;
        this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        this.clock = clock;
    }

    Mono<ServerResponse> receive(ServerRequest request) {
        return request.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).flatMap(body -> {
            String refusal = refusal(request, body);
            if (refusal != null) {
                rejected.incrementAndGet();
                return error(HttpStatus.UNAUTHORIZED, refusal);
            }
            JsonNode event;
            try {
                event = JSON.readTree(body);
            } catch (RuntimeException e) {
                return error(HttpStatus.BAD_REQUEST, "the body is not JSON");
            }
            String type = event.path("type").asString("");
            JsonNode data = event.path("data");
            String id = data.path("id").isString() ? data.path("id").asString() : null;
            String name = data.path("name").isString() ? data.path("name").asString() : null;
            return switch (type.substring(type.lastIndexOf('.') + 1)) {
                case "created" -> name == null ? error(HttpStatus.UNPROCESSABLE_CONTENT, "data.name must be a string")
                        : ok(HttpStatus.CREATED, inventory.create(request.headers().firstHeader("webhook-id"), name,
                                text(data, "artist"), text(data, "album")).json());
                case "updated" -> id == null || name == null
                        ? error(HttpStatus.UNPROCESSABLE_CONTENT, "data.id and data.name must be strings")
                        : inventory.replace(id, name, text(data, "artist"), text(data, "album"))
                                .map(item -> ok(HttpStatus.OK, item.json()))
                                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "no item " + id));
                case "deleted" -> id == null ? error(HttpStatus.UNPROCESSABLE_CONTENT, "data.id must be a string")
                        : inventory.delete(id) ? ServerResponse.noContent().build()
                                : error(HttpStatus.NOT_FOUND, "no item " + id);
                default -> error(HttpStatus.UNPROCESSABLE_CONTENT, "unknown event type '" + type + "'");
            };
        });
    }

    /** Messages refused for their signature so far (for tests). */
    long rejected() {
        return rejected.get();
    }

    /** Why the message is not authentic, or null when it is. */
    private @Nullable String refusal(ServerRequest request, byte[] body) {
        String id = request.headers().firstHeader("webhook-id");
        String timestamp = request.headers().firstHeader("webhook-timestamp");
        String signatures = request.headers().firstHeader("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return "missing webhook-id, webhook-timestamp or webhook-signature";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "webhook-timestamp is not Unix seconds";
        }
        if (Math.abs(clock.instant().getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return "webhook-timestamp is more than " + TOLERANCE.toMinutes() + " minutes off";
        }
        byte[] expected = ("v1," + sign(id + "." + timestamp + ".", body)).getBytes(StandardCharsets.UTF_8);
        for (String candidate : signatures.split(" ")) {
            if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
                return null;
            }
        }
        return "no webhook-signature matches";
    }

    private String sign(String prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static @Nullable String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static Mono<ServerResponse> ok(HttpStatus status, Object body) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(JSON.writeValueAsBytes(body));
    }

    private static Mono<ServerResponse> error(HttpStatus status, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", status.name().toLowerCase(java.util.Locale.ROOT));
        body.put("message", message);
        return ok(status, body);
    }
}
