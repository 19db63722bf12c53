package io.tributary.poller.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.mapping.ForumRecordNormalizer;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.rest.pagination.Listing;
import io.tributary.poller.rest.pagination.ListingPage;
import io.tributary.poller.rest.pagination.ListingPosition;
import io.tributary.poller.rest.pagination.PageRequest;
import io.tributary.poller.rest.pagination.Row;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One collection's listing over HTTP: {@code GET {base-url}/api/{collection}?updated_since&page&per_page},
 * and one record of it: {@code GET {base-url}/api/{collection}/{id}} (for refresh requests; 404 = gone).
 * Transient failures (429, 500, 502, 503, 504, timeouts, connection errors, an unreadable 200 body) are
 * retried with jittered exponential backoff ({@code Retry.backoff}); after a 429 the next attempt waits
 * at least its {@code Retry-After} (seconds or an HTTP date, honoured up to {@value #MAX_RETRY_AFTER_MINUTES}
 * minutes). Any other status is permanent for this pass. Blocking: called from the partition's own thread.
 */
final class ForumListingClient implements Listing<JsonNode> {

    static final long MAX_RETRY_AFTER_MINUTES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(ForumListingClient.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int EXCERPT = 300;

    /** A status worth retrying; carries the server's Retry-After if any. */
    private static final class TransientFailure extends RuntimeException {
        private final Duration retryAfter;

        TransientFailure(String message, Duration retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    private final SourcePartition partition;
    private final ForumRestProperties properties;
    private final WebClient webClient;
    private final RequestMetrics metrics;

    ForumListingClient(SourcePartition partition, ForumRestProperties properties, WebClient webClient,
            MeterRegistry registry) {
        this.partition = partition;
        this.properties = properties;
        this.webClient = webClient;
        this.metrics = new RequestMetrics(registry, partition);
    }

    @Override
    public ListingPage<JsonNode> fetch(PageRequest request) {
        URI uri = uri(request);
        return retrying(uri, response -> handle(uri, request, response));
    }

    /**
     * The record's current version, or empty if the source answers 404 (never existed or deleted). Same
     * retries as a listing page; throws {@link ListingFailedException} when they are exhausted or on any
     * other status.
     */
    Optional<JsonNode> fetchOne(String id) {
        URI uri = UriComponentsBuilder.fromUri(properties.baseUrl())
                .pathSegment("api", partition.entity(), id)
                .encode()
                .build()
                .toUri();
        return retrying(uri, response -> handleOne(uri, response));
    }

    private <T> T retrying(URI uri, Function<ClientResponse, Mono<T>> handler) {
        ForumRestProperties.Retry retry = properties.retry();
        Mono<T> attempt = Mono.defer(() -> webClient.get().uri(uri)
                        .accept(MediaType.APPLICATION_JSON)
                        .exchangeToMono(handler))
                .timeout(properties.responseTimeout())
                .doOnError(e -> !(e instanceof TransientFailure) && !(e instanceof ListingFailedException),
                        e -> metrics.failedWithoutStatus())
                .onErrorResume(TransientFailure.class, e -> e.retryAfter.isZero() ? Mono.error(e)
                        : Mono.delay(e.retryAfter).then(Mono.error(e)));
        T result = attempt
                .retryWhen(Retry.backoff(retry.maxAttempts() - 1, retry.minBackoff())
                        .maxBackoff(retry.maxBackoff())
                        .jitter(retry.jitter())
                        .filter(ForumListingClient::isTransient)
                        .doBeforeRetry(signal -> LOG.debug("Retrying GET {} (retry {}): {}", uri,
                                signal.totalRetries() + 1, signal.failure().toString()))
                        .onRetryExhaustedThrow((spec, signal) -> new ListingFailedException("GET " + uri + " failed after "
                                + (signal.totalRetries() + 1) + " attempts: " + signal.failure().getMessage(),
                                signal.failure())))
                .block();
        if (result == null) {
            throw new ListingFailedException("GET " + uri + " completed without a response");
        }
        return result;
    }

    URI uri(PageRequest request) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromUri(properties.baseUrl())
                .pathSegment("api", partition.entity());
        if (request.updatedSince() != null) {
            builder.queryParam("updated_since", ListingPosition.format(request.updatedSince()));
        }
        return builder.queryParam("page", request.page())
                .queryParam("per_page", request.perPage())
                .encode()
                .build()
                .toUri();
    }

    private Mono<ListingPage<JsonNode>> handle(URI uri, PageRequest request, ClientResponse response) {
        int status = response.statusCode().value();
        metrics.answered(status);
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(byte[].class)
                    .defaultIfEmpty(new byte[0])
                    .map(body -> parse(uri, request, body));
        }
        return failure(uri, status, response);
    }

    private Mono<Optional<JsonNode>> handleOne(URI uri, ClientResponse response) {
        int status = response.statusCode().value();
        metrics.answered(status);
        if (status == 404) {
            return response.releaseBody().thenReturn(Optional.empty());
        }
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(byte[].class)
                    .defaultIfEmpty(new byte[0])
                    .map(body -> Optional.of(parseOne(uri, body)));
        }
        return failure(uri, status, response);
    }

    private static JsonNode parseOne(URI uri, byte[] body) {
        JsonNode record;
        try {
            record = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new TransientFailure("GET " + uri + " answered 200 with a body that is not JSON: "
                    + e.getOriginalMessage(), Duration.ZERO);
        }
        if (record == null || !record.isObject()) {
            throw new TransientFailure("GET " + uri + " answered 200 without a JSON object: "
                    + excerpt(new String(body, StandardCharsets.UTF_8)), Duration.ZERO);
        }
        return record;
    }

    private static <T> Mono<T> failure(URI uri, int status, ClientResponse response) {
        Duration retryAfter = status == 429 ? retryAfter(response.headers().asHttpHeaders()) : Duration.ZERO;
        return response.bodyToMono(String.class)
                .defaultIfEmpty("")
                .onErrorReturn("")
                .flatMap(body -> {
                    String message = "GET " + uri + " answered " + status + ": " + excerpt(body);
                    return Mono.error(status == 429 || status == 500 || status == 502 || status == 503 || status == 504
                            ? new TransientFailure(message, retryAfter)
                            : new ListingFailedException(message));
                });
    }

    private static ListingPage<JsonNode> parse(URI uri, PageRequest request, byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new TransientFailure("GET " + uri + " answered 200 with a body that is not JSON: "
                    + e.getOriginalMessage(), Duration.ZERO);
        }
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray()) {
            throw new TransientFailure("GET " + uri + " answered 200 without a 'data' array: "
                    + excerpt(new String(body, StandardCharsets.UTF_8)), Duration.ZERO);
        }
        if (data.size() > request.perPage()) {
            throw new ListingFailedException("GET " + uri + " answered " + data.size() + " records for per_page "
                    + request.perPage() + ": the listing does not page as the contract says");
        }
        JsonNode hasMore = root.path("meta").get("has_more");
        List<Row<JsonNode>> rows = new ArrayList<>(data.size());
        for (JsonNode record : data) {
            rows.add(new Row<>(ForumRecordNormalizer.id(record), ForumRecordNormalizer.updatedAt(record), record));
        }
        boolean more = hasMore != null && hasMore.isBoolean() ? hasMore.booleanValue() : data.size() == request.perPage();
        return new ListingPage<>(rows, more);
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date; zero if absent or unreadable. */
    static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return Duration.ZERO;
        }
        Duration delay;
        try {
            delay = Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                delay = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException notDate) {
                return Duration.ZERO;
            }
        }
        Duration max = Duration.ofMinutes(MAX_RETRY_AFTER_MINUTES);
        return delay.isNegative() ? Duration.ZERO : delay.compareTo(max) > 0 ? max : delay;
    }

    private static boolean isTransient(Throwable failure) {
        if (failure instanceof TransientFailure || failure instanceof WebClientRequestException
                || failure instanceof TimeoutException) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String excerpt(@Nullable String body) {
        if (body == null) {
            return "";
        }
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "...";
    }
}
