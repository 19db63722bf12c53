package io.tributary.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one source's live status (last poll, cursor, counts, last errors per entity) from the poller's
 * {@code GET /status}. Only what the poller reports for that organization is taken: a live source carries its
 * {@code organization}, a refused one is listed under {@code refused} with it; a statically configured source has
 * none, so an organization never sees the figures of a configured source, or of another organization's, that has
 * the same id (decision 0031). The admin API only shows it to the source's own organization (the controller checks).
 */
@Component
class PollerStatusClient {

    private final PollerStatusProperties properties;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    PollerStatusClient(PollerStatusProperties properties) {
        this.properties = properties;
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
    }

    /**
     * What the poller says of {@code organization}'s source {@code sourceId}.
     *
     * @param running its status while it runs, null when the poller does not run it (paused, or not started yet)
     * @param refused the poller's last refusal of its definition ({@code reason}, {@code at}), null when none
     */
    record Seen(@Nullable JsonNode running, @Nullable JsonNode refused) {
    }

    Seen source(String organization, String sourceId) {
        URI base = properties.url();
        if (base == null) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "poller-not-configured",
                    "The admin service does not know where the poller is (tributary.admin.poller.url)");
        }
        URI status = base.resolve("/status");
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(status).timeout(properties.timeout())
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw unreachable(status, "no answer within " + properties.timeout());
        } catch (IOException e) {
            throw unreachable(status, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(status, "interrupted");
        }
        if (response.statusCode() != 200) {
            throw unreachable(status, "it answered " + response.statusCode());
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (JacksonException e) {
            throw unreachable(status, "its answer is not JSON");
        }
        return new Seen(find(body.path("sources"), "id", organization, sourceId),
                find(body.path("refused"), "sourceId", organization, sourceId));
    }

    private static @Nullable JsonNode find(JsonNode entries, String idField, String organization, String sourceId) {
        for (JsonNode entry : entries) {
            if (sourceId.equals(entry.path(idField).asString("")) && organization.equals(entry.path("organization").asString(""))) {
                return entry;
            }
        }
        return null;
    }

    private static ApiProblem unreachable(URI status, String why) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "poller-unreachable",
                "The poller's status (" + status + ") could not be read: " + why);
    }
}
