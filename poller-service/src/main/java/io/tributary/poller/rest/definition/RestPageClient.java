package io.tributary.poller.rest.definition;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.definition.EntitySource;
import io.tributary.definition.RetryPolicy;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.rest.pagination.strategy.NextPage;
import io.tributary.poller.rest.pagination.strategy.PageResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fetches one page of a declared entity: {@code baseUrl + endpoint.path} with the endpoint's static query (its
 * credential references resolved: added to the URL only as the request is sent, never to a URL this class logs or puts
 * in an error; a server's next-page URL that echoes such a parameter has it removed before it is logged),
 * the incremental filter and the page's parameters (or the server's own next URL for a Link header), through
 * a WebClient that authenticates (its filter). Each attempt first waits for the source's rate limit; the
 * definition's retry policy retries its statuses (429 and 5xx by default), timeouts, connection errors and
 * an unreadable 2xx body with jittered exponential backoff ({@code Retry.backoff}), a {@code Retry-After}
 * (seconds or an HTTP date, at most {@value #MAX_RETRY_AFTER_MINUTES} min) waited on top when honoured.
 * Any other status fails the pass. Also reads one record ({@code itemPath}) for refresh requests. Blocking: called from the partition's own thread.
 */
final class RestPageClient {

    static final long MAX_RETRY_AFTER_MINUTES = 10;

    private static final Logger LOG = LoggerFactory.getLogger(RestPageClient.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int EXCERPT = 200;

    private final String base;
    private final URI listing;
    private final HttpMethod method;
    private final Map<String, String> staticQuery;
    /** Resolved credential parameters: added to the URL sent, never to the one logged. */
    private final Map<String, String> secretQuery;
    /** Parameters that carry a credential (the secret query's, an API key's): removed from any URL before it is logged. */
    private final Set<String> hidden;
    private final RetryPolicy retry;
    private final @Nullable TokenBucket rateLimit;
    private final WebClient webClient;
    private final Duration responseTimeout;
    private final Map<String, Counter> requests = new LinkedHashMap<>();
    private final Counter noResponse;

    /**
     * @param secretQuery the endpoint's credential parameters, resolved (empty when it has none)
     * @param hidden      more parameter names that carry a credential (an API key the auth filter adds to the query)
     */
    RestPageClient(SourcePartition partition, String baseUrl, EntitySource.Endpoint endpoint,
            Map<String, String> secretQuery, Set<String> hidden, RetryPolicy retry,
            @Nullable TokenBucket rateLimit, WebClient webClient, Duration responseTimeout, MeterRegistry registry) {
        this.base = stripSlash(baseUrl);
        this.listing = URI.create(base + (endpoint.path().startsWith("/") ? "" : "/") + endpoint.path());
        this.method = HttpMethod.valueOf(endpoint.method());
        this.staticQuery = endpoint.plainQuery();
        this.secretQuery = Map.copyOf(secretQuery);
        Set<String> names = new java.util.TreeSet<>(hidden);
        names.addAll(secretQuery.keySet());
        this.hidden = Set.copyOf(names);
        this.retry = retry;
        this.rateLimit = rateLimit;
        this.webClient = webClient;
        this.responseTimeout = responseTimeout;
        for (String status : List.of("2xx", "3xx", "4xx", "5xx", "429")) {
            requests.put(status, counter(registry, partition, status));
        }
        this.noResponse = counter(registry, partition, "none");
    }

    /**
     * The page's URL as logged: listing + static query + {@code filter} + the page's parameters, or the server's URL;
     * without any credential parameter (those are added as the request is sent).
     */
    URI uri(NextPage page, Map<String, String> filter) {
        if (page.url() != null) {
            return withoutHidden(page.url());
        }
        UriComponentsBuilder builder = UriComponentsBuilder.fromUri(listing);
        staticQuery.forEach(builder::queryParam);
        filter.forEach(builder::queryParam);
        page.params().forEach(builder::queryParam);
        return builder.encode().build().toUri();
    }

    PageResponse fetch(NextPage page, Map<String, String> filter) {
        URI uri = uri(page, filter);
        return retrying(method, uri, withSecrets(uri), response -> handle(uri, response));
    }

    /** {@code uri} with the credential parameters: only ever sent, never logged. */
    private URI withSecrets(URI uri) {
        if (secretQuery.isEmpty()) {
            return uri;
        }
        UriComponentsBuilder builder = UriComponentsBuilder.fromUri(uri);
        secretQuery.forEach((name, value) -> builder.queryParam(UriUtils.encodeQueryParam(name, StandardCharsets.UTF_8),
                UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8)));
        return builder.build(true).toUri();
    }

    /** A server's URL without the parameters that carry a credential (a next-page link may echo them). */
    private URI withoutHidden(URI url) {
        if (hidden.isEmpty() || url.getRawQuery() == null) {
            return url;
        }
        UriComponentsBuilder builder = UriComponentsBuilder.fromUri(url);
        hidden.forEach(name -> builder.replaceQueryParam(UriUtils.encodeQueryParam(name, StandardCharsets.UTF_8)));
        return builder.build(true).toUri();
    }

    /**
     * One record at {@code baseUrl + itemPath} with {@code {id}} replaced (the body is the record), or empty
     * when the source answers 404. Same retries as a page.
     */
    Optional<JsonNode> fetchOne(String itemPath, String id) {
        String path = itemPath.replace("{id}", UriUtils.encodePathSegment(id, StandardCharsets.UTF_8));
        URI uri = URI.create(base + (path.startsWith("/") ? "" : "/") + path);
        return retrying(HttpMethod.GET, uri, uri, response -> {
            if (response.statusCode().value() == 404) {
                count(404);
                return response.releaseBody().thenReturn(Optional.<JsonNode>empty());
            }
            return handle(uri, response).map(page -> Optional.of(page.body()));
        });
    }

    /** Sends to {@code target}; {@code uri} (the same without credential parameters) is what messages name. */
    private <T> T retrying(HttpMethod method, URI uri, URI target, Function<ClientResponse, Mono<T>> handler) {
        Mono<T> attempt = Mono.defer(() -> {
                    Duration wait = rateLimit == null ? Duration.ZERO : rateLimit.reserve();
                    Mono<T> request = webClient.method(method).uri(target)
                            .accept(MediaType.APPLICATION_JSON)
                            .exchangeToMono(handler)
                            .timeout(responseTimeout);
                    return wait.isZero() ? request : Mono.delay(wait).then(request);
                })
                .doOnError(e -> !(e instanceof TransientHttpException), e -> noResponse.increment())
                .onErrorResume(TransientHttpException.class, e -> e.retryAfter().isZero() ? Mono.error(e)
                        : Mono.delay(e.retryAfter()).then(Mono.error(e)));
        T result = attempt
                .retryWhen(Retry.backoff(retry.maxAttempts() - 1, retry.initialBackoff())
                        .maxBackoff(retry.maxBackoff())
                        .jitter(0.5)
                        .filter(RestPageClient::isTransient)
                        .doBeforeRetry(signal -> LOG.debug("Retrying {} {} (retry {}): {}", method, uri,
                                signal.totalRetries() + 1, signal.failure().getMessage()))
                        .onRetryExhaustedThrow((spec, signal) -> new IllegalStateException(method + " " + uri
                                + " failed after " + (signal.totalRetries() + 1) + " attempts: "
                                + signal.failure().getMessage(), signal.failure())))
                .block();
        if (result == null) {
            throw new IllegalStateException(method + " " + uri + " completed without a response");
        }
        return result;
    }

    private void count(int status) {
        requests.get(status == 429 ? "429" : Math.min(5, Math.max(2, status / 100)) + "xx").increment();
    }

    private Mono<PageResponse> handle(URI uri, ClientResponse response) {
        int status = response.statusCode().value();
        count(status);
        Map<String, List<String>> headers = new LinkedHashMap<>(response.headers().asHttpHeaders().asMultiValueMap());
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(byte[].class)
                    .defaultIfEmpty(new byte[0])
                    .map(body -> new PageResponse(uri, parse(uri, status, body), headers));
        }
        boolean retryable = retry.retryOn().contains(status);
        Duration retryAfter = retryable && retry.respectRetryAfter()
                ? retryAfter(response.headers().asHttpHeaders()) : Duration.ZERO;
        return response.bodyToMono(String.class)
                .defaultIfEmpty("")
                .onErrorReturn("")
                .flatMap(body -> Mono.error(new TransientHttpException(method + " " + uri + " answered " + status
                        + ": " + excerpt(body), status, retryAfter, retryable)));
    }

    private JsonNode parse(URI uri, int status, byte[] body) {
        try {
            JsonNode root = MAPPER.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new TransientHttpException(method + " " + uri + " answered " + status + " with an empty body",
                        status, Duration.ZERO, true);
            }
            return root;
        } catch (JacksonException e) {
            throw new TransientHttpException(method + " " + uri + " answered " + status + " with a body that is not JSON: "
                    + excerpt(new String(body, StandardCharsets.UTF_8)), status, Duration.ZERO, true);
        }
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
        if (failure instanceof TransientHttpException http) {
            return http.retryable();
        }
        if (failure instanceof WebClientRequestException || failure instanceof TimeoutException) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String excerpt(@Nullable String body) {
        if (body == null) {
            return "";
        }
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "...";
    }

    private static Counter counter(MeterRegistry registry, SourcePartition partition, String status) {
        return Counter.builder("tributary.poller.requests")
                .tags("source", partition.sourceId(), "entity", partition.entity(), "status", status)
                .description("HTTP requests to the source by status class")
                .register(registry);
    }
}
