package io.tributary.admin;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads one source's live status (last poll, cursor, counts of records published and rejected, last errors and last
 * rejected records per entity) from the poller's {@code GET /status}. Only what the poller reports for that
 * organization is taken: a live source carries its {@code organization}, a refused one is listed under
 * {@code refused} with it; a statically configured source has none, so an organization never sees the figures of a
 * configured source, or of another organization's, that has the same id (decision 0031). The admin API only shows it to the source's own organization (the controller checks).
 */
@Component
class PollerStatusClient {

    private final PollerStatusProperties properties;
    private final StatusReader reader;

    PollerStatusClient(PollerStatusProperties properties) {
        this.properties = properties;
        this.reader = new StatusReader(properties.timeout());
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
        JsonNode body;
        try {
            body = reader.read(status);
        } catch (StatusReader.Unreadable e) {
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "poller-unreachable",
                    "The poller's status (" + status + ") could not be read: " + e.getMessage());
        }
        return new Seen(find(body.path("sources"), "id", organization, sourceId),
                find(body.path("refused"), "sourceId", organization, sourceId));
    }

    /** The entry of {@code entries} for that organization's source; a configured source's (no organization) is none. */
    static @Nullable JsonNode find(JsonNode entries, String idField, String organization, String sourceId) {
        for (JsonNode entry : entries) {
            if (sourceId.equals(entry.path(idField).asString("")) && organization.equals(entry.path("organization").asString(""))) {
                return entry;
            }
        }
        return null;
    }
}
