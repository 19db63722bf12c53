package io.tributary.admin;

import io.tributary.admin.ConfigStore.StoredSource;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A source's live status for {@code GET /organizations/{org}/sources/{id}/status}, from the services that run it:
 * the poller decides its {@code state} and gives its figures ({@link PollerStatusClient}; 503 when it cannot be read,
 * since the state is its), the writer adds what it refused of the definition and what it dead-lettered
 * ({@link WriterStatusClient}; shown as unreachable, never failing the status). Each only for the source's own
 * organization.
 */
@Component
class SourceStatuses {

    private final PollerStatusClient poller;
    private final WriterStatusClient writer;

    SourceStatuses(PollerStatusClient poller, WriterStatusClient writer) {
        this.poller = poller;
        this.writer = writer;
    }

    /**
     * @param source  the source id
     * @param state   {@code running} (the poller runs it), {@code paused}, {@code refused} (the poller does not run it:
     *                its definition or a secret reference refused, or its id taken by the poller's own configuration),
     *                or {@code not-running} (no poller follows the config topic, or it has not started the source yet)
     * @param poller  the poller's figures per entity (last poll, cursor, records published and rejected, pages,
     *                passes, failures), its last errors and last rejected records (field path and reason, never the
     *                record's values); null when it does not run the source
     * @param refused the poller's reason for not running the source, or a newer version of it (then beside
     *                {@code running}, the previous version going on); null when none
     * @param writer  the writer's refusals of the definition and the source's dead-lettered events, or why the writer
     *                could not be read
     */
    record SourceLiveStatus(String source, String state, @Nullable JsonNode poller, @Nullable JsonNode refused,
            WriterStatusClient.WriterView writer) {
    }

    SourceLiveStatus of(String organization, String id, StoredSource stored) {
        PollerStatusClient.Seen seen = poller.source(organization, id);
        // a paused source stays on the poller's status page with its last figures: paused wins
        String state = stored.state().paused() ? "paused" : seen.running() != null ? "running"
                : seen.refused() != null ? "refused" : "not-running";
        return new SourceLiveStatus(id, state, seen.running(), seen.refused(), writer.source(organization, id));
    }
}
