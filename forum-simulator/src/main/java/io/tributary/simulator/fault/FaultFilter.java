package io.tributary.simulator.fault;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Injects the failures the contract promises, on {@code /api/**} only, in this order: rate limit (429 with
 * {@code Retry-After: 1}, counted per wall-clock second), random 500/502/503, random slow answer.
 * Each injected fault counts in {@code tributary.simulator.faults{kind=rate_limited|error|slow}}.
 */
final class FaultFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(FaultFilter.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpStatus[] ERRORS =
            {HttpStatus.INTERNAL_SERVER_ERROR, HttpStatus.BAD_GATEWAY, HttpStatus.SERVICE_UNAVAILABLE};

    private final FaultProperties properties;
    private final Counter rateLimited;
    private final Counter errors;
    private final Counter slow;
    private long windowSecond = Long.MIN_VALUE;
    private int requestsInWindow;

    FaultFilter(FaultProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.rateLimited = meters.counter("tributary.simulator.faults", "kind", "rate_limited");
        this.errors = meters.counter("tributary.simulator.faults", "kind", "error");
        this.slow = meters.counter("tributary.simulator.faults", "kind", "slow");
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return chain.filter(exchange);
        }
        if (properties.rateLimitPerSecond() > 0 && overLimit(System.currentTimeMillis() / 1000)) {
            rateLimited.increment();
            log.debug("Injected 429 on {}", path);
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
            return reject(exchange.getResponse(), HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
                    "More than " + properties.rateLimitPerSecond() + " requests per second");
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (properties.errorRate() > 0 && random.nextDouble() < properties.errorRate()) {
            HttpStatus status = ERRORS[random.nextInt(ERRORS.length)];
            errors.increment();
            log.debug("Injected {} on {}", status.value(), path);
            return reject(exchange.getResponse(), status, "injected_failure", "Simulated " + status.value());
        }
        if (properties.slowRate() > 0 && random.nextDouble() < properties.slowRate()) {
            slow.increment();
            log.debug("Delaying {} by {}", path, properties.slowDelay());
            return Mono.delay(properties.slowDelay()).then(chain.filter(exchange));
        }
        return chain.filter(exchange);
    }

    private synchronized boolean overLimit(long second) {
        if (second != windowSecond) {
            windowSecond = second;
            requestsInWindow = 0;
        }
        requestsInWindow++;
        return requestsInWindow > properties.rateLimitPerSecond();
    }

    private static Mono<Void> reject(ServerHttpResponse response, HttpStatus status, String error, String message) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = JSON.writeValueAsBytes(new LinkedHashMap<>(Map.of("error", error, "message", message)));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
