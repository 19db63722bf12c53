package io.tributary.writer.progress;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Reads the poller's {@code GET /status} for the writer's status: its {@code sources} as they are, or
 * "unreachable" with the reason when it does not answer 200 within the timeout. Never fails: the writer's
 * own status is shown either way.
 */
final class PollerStatusClient {

    private final WebClient client;
    private final String url;
    private final Duration timeout;

    PollerStatusClient(WebClient client, URI pollerUrl, Duration timeout) {
        String base = pollerUrl.toString();
        this.url = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.client = client;
        this.timeout = timeout;
    }

    Mono<SyncStatus.Poller> fetch() {
        return client.get().uri(url + "/status").retrieve().bodyToMono(JsonNode.class)
                .timeout(timeout)
                .map(body -> new SyncStatus.Poller(url, true, body.get("sources"), null))
                .onErrorResume(e -> Mono.just(new SyncStatus.Poller(url, false, null, describe(e))));
    }

    private String describe(Throwable e) {
        if (e instanceof TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
