package io.tributary.poller.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.rest.pagination.ListingPosition;
import io.tributary.poller.rest.pagination.ListingWalker;
import io.tributary.poller.rest.pagination.PageRequest;
import io.tributary.poller.rest.pagination.WalkStep;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The HTTP listing against a tiny Reactor Netty server that answers per request number. */
class ForumListingClientTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Instant BASE = Instant.parse("2026-11-21T10:15:30.123Z");
    private static final SourcePartition USERS = new SourcePartition("forum-sim", "users");

    private final List<Instant> requestTimes = new CopyOnWriteArrayList<>();
    private final List<Instant> responseTimes = new CopyOnWriteArrayList<>();
    private final List<String> requestUris = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final org.springframework.http.client.ReactorResourceFactory resources = new org.springframework.http.client.ReactorResourceFactory();
    private DisposableServer server;

    @org.junit.jupiter.api.BeforeEach
    void startResources() {
        resources.setUseGlobalResources(false);
        resources.setShutdownQuietPeriod(Duration.ZERO);
        resources.start();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.disposeNow();
        }
        resources.stop();
    }

    @Test
    void walkCompletesThrough429And503MidWalkAndWaitsAtLeastRetryAfter() {
        List<ObjectNode> users = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            // A tie group of 150 records sharing one updated_at, larger than a page.
            users.add(user("u-%03d".formatted(i), BASE.plusMillis(i < 150 ? 0 : i)));
        }
        AtomicInteger count = new AtomicInteger();
        start((request, response) -> {
            int n = count.incrementAndGet();
            if (n == 2) {
                return response.status(429).header("Retry-After", "1").sendString(Mono.just("{\"error\":\"slow down\"}"));
            }
            if (n == 3) {
                return response.status(503).sendString(Mono.just("busy"));
            }
            return page(users, request, response);
        });
        ForumListingClient client = client(new ForumRestProperties.Retry(5, Duration.ofMillis(10), Duration.ofMillis(50), 0.5));
        ListingWalker<JsonNode> walker = new ListingWalker<>(client, 100, Duration.ZERO, InstantSource.system(), 1000);

        List<String> ids = new ArrayList<>();
        for (Optional<WalkStep<JsonNode>> step = walker.next(); step.isPresent(); step = walker.next()) {
            step.get().emit().forEach(row -> ids.add(row.id()));
        }

        assertThat(ids).hasSize(250).doesNotHaveDuplicates();
        assertThat(count.get()).isGreaterThanOrEqualTo(5);
        // The request after the 429 came at least Retry-After (1 s) after the 429 was sent.
        assertThat(Duration.between(responseTimes.get(1), requestTimes.get(2))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(registry.get("tributary.poller.requests").tag("status", "429").counter().count()).isEqualTo(1);
        assertThat(registry.get("tributary.poller.requests").tag("status", "5xx").counter().count()).isEqualTo(1);
        assertThat(registry.get("tributary.poller.requests").tag("status", "2xx").counter().count()).isEqualTo(count.get() - 2);
        assertThat(requestUris.get(0)).isEqualTo("/api/users?page=1&per_page=100");
        assertThat(requestUris).anyMatch(uri -> uri.contains("updated_since=2026-11-21T10:15:30.123Z"));
    }

    @Test
    void permanentStatusFailsThePassNamingUrlStatusAndBody() {
        start((request, response) -> response.status(400).sendString(Mono.just("per_page must be <= 100")));
        ForumListingClient client = client(new ForumRestProperties.Retry(5, Duration.ofMillis(10), Duration.ofMillis(50), 0.5));

        assertThatThrownBy(() -> client.fetch(new PageRequest(null, 1, 100)))
                .isInstanceOf(ListingFailedException.class)
                .hasMessageContaining("/api/users?page=1&per_page=100")
                .hasMessageContaining("400")
                .hasMessageContaining("per_page must be <= 100");
        assertThat(requestTimes).hasSize(1);
    }

    @Test
    void exhaustedRetriesFailWithTheLastFailure() {
        start((request, response) -> response.status(502).sendString(Mono.just("bad gateway")));
        ForumListingClient client = client(new ForumRestProperties.Retry(3, Duration.ofMillis(5), Duration.ofMillis(10), 0.5));

        assertThatThrownBy(() -> client.fetch(new PageRequest(BASE, 2, 60)))
                .isInstanceOf(ListingFailedException.class)
                .hasMessageContaining("after 3 attempts")
                .hasMessageContaining("502")
                .hasMessageContaining("bad gateway");
        assertThat(requestTimes).hasSize(3);
    }

    @Test
    void slowResponseTimesOutAndIsRetried() {
        AtomicInteger count = new AtomicInteger();
        List<ObjectNode> users = List.of(user("a", BASE));
        start((request, response) -> count.incrementAndGet() == 1
                ? response.sendString(Mono.just("{}").delayElement(Duration.ofSeconds(30)))
                : page(users, request, response));
        // The timeout leaves a loaded CI machine ample time for the normal answers, and is far below the slow one.
        ForumRestProperties properties = properties(new ForumRestProperties.Retry(3, Duration.ofMillis(5), Duration.ofMillis(10), 0.5),
                Duration.ofSeconds(3));
        ForumListingClient client = new ForumListingClient(USERS, properties, ForumRestSourceKind.webClient(properties, resources), registry);

        assertThat(client.fetch(new PageRequest(null, 1, 100)).rows()).hasSize(1);
        assertThat(count.get()).as("the slow request, then at least one retry").isGreaterThanOrEqualTo(2);
    }

    @Test
    void retryAfterAcceptsSecondsAndHttpDates() {
        org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
        headers.set("Retry-After", "3");
        assertThat(ForumListingClient.retryAfter(headers)).isEqualTo(Duration.ofSeconds(3));
        headers.set("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
        assertThat(ForumListingClient.retryAfter(headers)).isZero();
        headers.set("Retry-After", "soon");
        assertThat(ForumListingClient.retryAfter(headers)).isZero();
    }

    private interface Handler {
        org.reactivestreams.Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response);
    }

    private void start(Handler handler) {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/api/users", (request, response) -> {
                    requestTimes.add(Instant.now());
                    requestUris.add(request.uri());
                    return Mono.from(handler.handle(request, response))
                            .doFinally(signal -> responseTimes.add(Instant.now()));
                }))
                .bindNow();
    }

    private ForumListingClient client(ForumRestProperties.Retry retry) {
        ForumRestProperties properties = properties(retry, Duration.ofSeconds(5));
        return new ForumListingClient(USERS, properties, ForumRestSourceKind.webClient(properties, resources), registry);
    }

    private ForumRestProperties properties(ForumRestProperties.Retry retry, Duration responseTimeout) {
        return new ForumRestProperties(URI.create("http://127.0.0.1:" + server.port()), 100, responseTimeout,
                Duration.ZERO, 1000, org.springframework.util.unit.DataSize.ofMegabytes(8), retry,
                new ForumRestProperties.InitialWalk(1, 1, 1000));
    }

    /** The contract's listing over a static list sorted by (updated_at, id). */
    private static org.reactivestreams.Publisher<Void> page(List<ObjectNode> records, HttpServerRequest request,
            HttpServerResponse response) {
        Map<String, List<String>> params = new QueryStringDecoder(request.uri()).parameters();
        int page = Integer.parseInt(params.get("page").get(0));
        int perPage = Integer.parseInt(params.get("per_page").get(0));
        Instant since = params.containsKey("updated_since") ? Instant.parse(params.get("updated_since").get(0)) : Instant.EPOCH;
        List<ObjectNode> matching = records.stream()
                .filter(r -> !Instant.parse(r.get("updated_at").stringValue()).isBefore(since))
                .sorted((a, b) -> {
                    int byTime = Instant.parse(a.get("updated_at").stringValue()).compareTo(Instant.parse(b.get("updated_at").stringValue()));
                    return byTime != 0 ? byTime : a.get("id").stringValue().compareTo(b.get("id").stringValue());
                })
                .toList();
        int from = Math.min((page - 1) * perPage, matching.size());
        int to = Math.min(from + perPage, matching.size());
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        matching.subList(from, to).forEach(data::add);
        body.putObject("meta").put("page", page).put("per_page", perPage).put("has_more", to < matching.size());
        return response.header("Content-Type", "application/json").sendString(Mono.just(body.toString()));
    }

    private static ObjectNode user(String id, Instant updatedAt) {
        ObjectNode user = MAPPER.createObjectNode();
        user.put("id", id);
        user.put("name", "Name " + id);
        user.put("email", id + "@example.org");
        user.put("created_at", ListingPosition.format(BASE.minusSeconds(60)));
        user.put("updated_at", ListingPosition.format(updatedAt));
        return user;
    }
}
