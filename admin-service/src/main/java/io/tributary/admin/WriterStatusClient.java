package io.tributary.admin;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads what the writer did with one source from its {@code GET /status/sources}: the refusals of the source's
 * definition (a version, an entity whose columns conflict with the catalog, a delivery of local changes), each with
 * its reason and since when, and the source's dead-lettered events per entity. Only entries the writer reports for
 * that organization are taken (decision 0031). Never fails: a writer that is not configured, does not answer within
 * the timeout or answers something else is said so in the section, beside the poller's figures.
 */
@Component
class WriterStatusClient {

    private final WriterStatusProperties properties;
    private final StatusReader reader;

    WriterStatusClient(WriterStatusProperties properties) {
        this.properties = properties;
        this.reader = new StatusReader(properties.timeout());
    }

    /**
     * The {@code writer} section of a source's status.
     *
     * @param reachable    whether the writer's status was read
     * @param error        why not (null when it was)
     * @param startedAt    when the writer started: its dead-letter counts count from there
     * @param refused      the writer's refusals of this source's definition ({@code entity} null: the version as a
     *                     whole, or its delivery), each with {@code reason} and {@code since}; empty when none
     * @param deadLettered per entity, the source's events the writer dead-lettered ({@code deadLettered},
     *                     {@code lastAt}); null when none
     */
    record WriterView(boolean reachable, @Nullable String error, @Nullable String startedAt, List<JsonNode> refused,
            @Nullable JsonNode deadLettered) {

        static WriterView unreachable(String error) {
            return new WriterView(false, error, null, List.of(), null);
        }
    }

    WriterView source(String organization, String sourceId) {
        URI base = properties.url();
        if (base == null) {
            return WriterView.unreachable("not configured: the admin service does not know where the writer is"
                    + " (tributary.admin.writer.url)");
        }
        URI status = base.resolve("/status/sources");
        JsonNode body;
        try {
            body = reader.read(status);
        } catch (StatusReader.Unreadable e) {
            return WriterView.unreachable("the writer's status (" + status + ") could not be read: " + e.getMessage());
        }
        List<JsonNode> refused = new ArrayList<>();
        for (JsonNode refusal : body.path("refused")) {
            if (sourceId.equals(refusal.path("sourceId").asString("")) && organization.equals(refusal.path("organization").asString(""))) {
                refused.add(refusal);
            }
        }
        JsonNode source = PollerStatusClient.find(body.path("sources"), "id", organization, sourceId);
        String startedAt = body.path("startedAt").isString() ? body.path("startedAt").asString() : null;
        return new WriterView(true, null, startedAt, List.copyOf(refused), source == null ? null : source.get("entities"));
    }
}
