package io.tributary.poller.reconcile;

import io.tributary.model.inventory.InventoryDigest;
import io.tributary.model.inventory.InventoryEntry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/** The writer's inventory endpoints ({@code /inventory/{entity}/digest}, {@code /inventory/{entity}/entries}). */
final class WriterInventoryClient {

    private static final ParameterizedTypeReference<List<InventoryEntry>> ENTRIES = new ParameterizedTypeReference<>() {
    };

    private final WebClient client;
    private final URI base;
    private final Duration timeout;

    WriterInventoryClient(WebClient.Builder builder, URI base, Duration timeout) {
        this.client = builder.baseUrl(base.toString()).build();
        this.base = base;
        this.timeout = timeout;
    }

    InventoryDigest digest(String sourceId, String entity, int buckets) {
        try {
            return client.get()
                    .uri(uri -> uri.path("/inventory/{entity}/digest").queryParam("source", sourceId)
                            .queryParam("buckets", buckets).build(entity))
                    .retrieve()
                    .bodyToMono(InventoryDigest.class)
                    .blockOptional(timeout)
                    .orElseThrow(() -> new IllegalStateException("empty answer"));
        } catch (WebClientResponseException e) {
            throw failure("digest", sourceId, entity, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Failed to read the main DB's " + entity + " digest of " + sourceId
                    + " from the writer at " + base + ": " + e.getMessage(), e);
        }
    }

    List<InventoryEntry> entries(String sourceId, String entity, int buckets, List<Integer> bucketIds) {
        try {
            return client.post()
                    .uri("/inventory/{entity}/entries", entity)
                    .bodyValue(Map.of("source", sourceId, "buckets", buckets, "bucketIds", bucketIds))
                    .retrieve()
                    .bodyToMono(ENTRIES)
                    .blockOptional(timeout)
                    .orElseThrow(() -> new IllegalStateException("empty answer"));
        } catch (WebClientResponseException e) {
            throw failure("entries", sourceId, entity, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Failed to read the main DB's " + entity + " entries of " + sourceId
                    + " from the writer at " + base + ": " + e.getMessage(), e);
        }
    }

    private IllegalStateException failure(String what, String sourceId, String entity, WebClientResponseException e) {
        String body = e.getResponseBodyAsString();
        return new IllegalStateException("The writer at " + base + " answered " + e.getStatusCode().value() + " to the "
                + entity + " " + what + " of " + sourceId + ": " + (body.length() > 300 ? body.substring(0, 300) : body), e);
    }
}
