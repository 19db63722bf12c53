package io.tributary.writer.outbound;

import io.tributary.definition.Auth;
import io.tributary.definition.Delivery;
import io.tributary.definition.RetryPolicy;
import io.tributary.definition.SecretRef;
import io.tributary.definition.SourceDefinition;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP calls of one source's delivery (its REST calls, or one outbound webhook's), with their auth and the
 * source's retry policy. Transient failures (connection
 * errors, timeouts, 429, 5xx and the definition's {@code retryOn}) are retried by Reactor's {@link Retry} with
 * exponential backoff, or after {@code Retry-After} when the source sends one and the policy respects it (capped at
 * {@code maxBackoff}), up to {@code maxAttempts} ({@link DeliveryBudget} bounds the time this takes); then a {@link TransientDeliveryException} hands the record to the consumer's error
 * handler, which retries it without limit (decision 0025). Other 4xx answers are a
 * {@link PermanentDeliveryException} with the status and the source's message (never the request body).
 */
final class SourceClient {

    /** A response: status, parsed body (null when empty or not JSON) and its {@code ETag} (null when none). */
    record Answer(int status, @Nullable JsonNode body, @Nullable String etag) {
    }

    /** A record read: its body and {@code ETag} (null when the source sends none). */
    record Current(JsonNode body, @Nullable String etag) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebClient web;
    private final RetryPolicy retry;
    private final Duration timeout;

    /** The REST calls of {@code definition}: paths relative to its base URL, with its auth. */
    SourceClient(WebClient.Builder builder, SourceDefinition definition, Duration timeout,
            Function<SecretRef, String> credentials) {
        this(builder, java.util.Objects.requireNonNull(definition.baseUrl(), "baseUrl"), definition.auth(),
                definition.retry(), timeout, credentials);
    }

    /** Calls to absolute URLs (an outbound webhook's) with {@code auth}, retried by the source's policy. */
    SourceClient(WebClient.Builder builder, Auth auth, RetryPolicy retry, Duration timeout,
            Function<SecretRef, String> credentials) {
        this(builder, null, auth, retry, timeout, credentials);
    }

    private SourceClient(WebClient.Builder builder, @Nullable String baseUrl, Auth auth, RetryPolicy retry,
            Duration timeout, Function<SecretRef, String> credentials) {
        // defaultHeaders runs at once: a reference that cannot be resolved is refused here, before anything is sent
        WebClient.Builder web = builder.clone().defaultHeaders(headers -> authenticate(headers, auth, credentials));
        this.web = (baseUrl == null ? web : web.baseUrl(baseUrl)).build();
        this.retry = retry;
        this.timeout = timeout;
    }

    /**
     * Sends one call; 404 is answered (the caller decides), other 4xx are permanent. With {@code ifMatch} (an ETag)
     * the call is conditional: {@code If-Match} is sent and 412 (the record is no longer that version) is answered.
     */
    Answer call(String what, Delivery.Call call, @Nullable String externalId, @Nullable JsonNode body,
            @Nullable String idempotencyHeader, @Nullable String idempotencyKey, @Nullable String ifMatch) {
        return exchange(what, HttpMethod.valueOf(call.method()), path(call.path(), externalId),
                body == null ? null : JSON.writeValueAsBytes(body), headers -> {
                    if (idempotencyHeader != null && idempotencyKey != null) {
                        headers.set(idempotencyHeader, idempotencyKey);
                    }
                    if (ifMatch != null) {
                        headers.setIfMatch(ifMatch);
                    }
                }, ifMatch != null);
    }

    /**
     * Sends {@code body} (JSON) to {@code url}; {@code perAttempt} sets headers anew for each attempt (a signature
     * over a fresh timestamp). Answers and failures as {@link #call}.
     */
    Answer send(String what, HttpMethod method, String url, byte[] body, Consumer<HttpHeaders> perAttempt) {
        return exchange(what, method, url, body, perAttempt, false);
    }

    /** {@code GET itemPath} of one record: empty when the source answers 404. */
    Optional<Current> get(String what, String itemPath, String externalId) {
        Answer answer = exchange(what, HttpMethod.GET, path(itemPath, externalId), null, headers -> { }, false);
        return answer.status() == 404 || answer.body() == null ? Optional.empty()
                : Optional.of(new Current(answer.body(), answer.etag()));
    }

    private Answer exchange(String what, HttpMethod method, String uri, byte @Nullable [] body,
            Consumer<HttpHeaders> perAttempt, boolean conditional) {
        Mono<Answer> attempt = Mono.defer(() -> {
            WebClient.RequestBodySpec request = web.method(method).uri(uri).accept(MediaType.APPLICATION_JSON)
                    .headers(perAttempt);
            WebClient.RequestHeadersSpec<?> ready = body == null ? request
                    : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
            return ready.exchangeToMono(response -> answer(what, response, conditional));
        }).timeout(timeout);
        try {
            return attempt.retryWhen(Retry.from(signals -> signals.concatMap(signal -> {
                        Throwable failure = signal.failure();
                        if (!(failure instanceof Retryable retryable) && !isConnectionFailure(failure)
                                || signal.totalRetries() + 1 >= retry.maxAttempts()) {
                            return Mono.error(failure);
                        }
                        Duration delay = failure instanceof Retryable retryable && retryable.retryAfter() != null
                                        && retry.respectRetryAfter()
                                ? min(retryable.retryAfter(), retry.maxBackoff())
                                : backoff(retry, signal.totalRetries());
                        return Mono.delay(delay);
                    })))
                    .block();
        } catch (PermanentDeliveryException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable cause = reactor.core.Exceptions.unwrap(e);
            if (cause instanceof PermanentDeliveryException permanent) {
                throw permanent;
            }
            throw new TransientDeliveryException(what + " failed after " + retry.maxAttempts() + " attempt(s): "
                    + describe(cause), cause);
        }
    }

    private Mono<Answer> answer(String what, ClientResponse response, boolean conditional) {
        HttpStatusCode status = response.statusCode();
        return response.bodyToMono(byte[].class).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(bytes -> {
            JsonNode body = bytes.map(SourceClient::parse).orElse(null);
            int code = status.value();
            if (status.is2xxSuccessful() || code == 404 || code == 412 && conditional) {
                return Mono.just(new Answer(code, body, response.headers().asHttpHeaders().getETag()));
            }
            if (code == 429 || status.is5xxServerError() || retry.retryOn().contains(code)) {
                return Mono.error(new Retryable("HTTP " + code, retryAfter(response.headers().asHttpHeaders())));
            }
            return Mono.error(new PermanentDeliveryException(what + " refused: HTTP " + code + message(body),
                    what + " refused: HTTP " + code));
        });
    }

    /** The wait after the {@code retries}-th failed attempt (from 0) when the source sends no Retry-After. */
    static Duration backoff(RetryPolicy retry, long retries) {
        long millis = retry.initialBackoff().toMillis() * (1L << Math.min(20, retries));
        return min(Duration.ofMillis(millis), retry.maxBackoff());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static boolean isConnectionFailure(Throwable failure) {
        return failure instanceof java.util.concurrent.TimeoutException
                || failure instanceof org.springframework.web.reactive.function.client.WebClientRequestException;
    }

    private static @Nullable Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /** The source's own error message, if it sent one (bounded; it is the source's text, never our fields). */
    private static String message(@Nullable JsonNode body) {
        if (body == null) {
            return "";
        }
        JsonNode message = body.path("message");
        String text = message.isString() ? message.asString() : body.toString();
        return " (" + (text.length() > 200 ? text.substring(0, 200) + "…" : text) + ")";
    }

    private static @Nullable JsonNode parse(byte[] bytes) {
        try {
            return bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    private static String path(String template, @Nullable String externalId) {
        return externalId == null ? template
                : template.replace("{id}", URLEncoder.encode(externalId, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static void authenticate(HttpHeaders headers, Auth auth, Function<SecretRef, String> credentials) {
        if (auth instanceof Auth.Bearer bearer) {
            headers.setBearerAuth(credentials.apply(bearer.token()));
        } else if (auth instanceof Auth.Basic basic) {
            headers.set(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(
                    (basic.username() + ":" + credentials.apply(basic.password())).getBytes(StandardCharsets.UTF_8)));
        } else if (auth instanceof Auth.ApiKey key && key.in() == Auth.Location.HEADER) {
            headers.set(key.name(), credentials.apply(key.value()));
        } else if (!(auth instanceof Auth.None)) {
            throw new IllegalStateException("Two-way delivery supports auth none, bearer, basic and an api-key header;"
                    + " this source's auth is " + auth.getClass().getSimpleName());
        }
    }

    /** A transient answer, with the source's Retry-After when it gave one. */
    private static final class Retryable extends RuntimeException {

        private final @Nullable Duration retryAfter;

        Retryable(String message, @Nullable Duration retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }

        @Nullable Duration retryAfter() {
            return retryAfter;
        }
    }
}
