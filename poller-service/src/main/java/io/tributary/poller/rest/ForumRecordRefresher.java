package io.tributary.poller.rest;

import io.tributary.mapping.ForumRecordNormalizer;
import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.ChangeEvent;
import io.tributary.model.Operation;
import io.tributary.model.RefreshRequest;
import io.tributary.poller.runtime.RecordRefresher;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Refresh of one forum record: {@code GET {base-url}/api/{collection}/{id}} with the same retrying client
 * as the listings. 200 → the record normalized by the same mapping code as polling (an UPSERT at its
 * {@code updated_at}); 404 → a DELETE. The contract never reuses ids, so a 404 means the record is gone
 * for good and the writer treats the delete as final; its version is the time of the 404 (epoch ms),
 * which is later than any version the record had.
 */
final class ForumRecordRefresher implements RecordRefresher {

    private final String sourceId;
    private final Function<String, ForumListingClient> clientFactory;
    private final Map<String, ForumListingClient> clients = new ConcurrentHashMap<>();
    private final InstantSource clock;

    ForumRecordRefresher(String sourceId, Function<String, ForumListingClient> clientFactory) {
        this(sourceId, clientFactory, InstantSource.system());
    }

    ForumRecordRefresher(String sourceId, Function<String, ForumListingClient> clientFactory, InstantSource clock) {
        this.sourceId = sourceId;
        this.clientFactory = clientFactory;
        this.clock = clock;
    }

    @Override
    public ChangeEvent refresh(RefreshRequest request) {
        if (!request.sourceId().equals(sourceId)) {
            throw new IllegalArgumentException("Refresher of " + sourceId + " asked for " + request.key());
        }
        ForumListingClient client = clients.computeIfAbsent(request.entity(), clientFactory);
        Optional<JsonNode> record = client.fetchOne(request.externalId());
        Instant now = clock.instant();
        if (record.isEmpty()) {
            return ChangeEvent.of(sourceId, request.entity(), request.externalId(), Operation.DELETE, now.toEpochMilli(),
                    now, request.origin(), Map.of());
        }
        ChangeEvent event = new ForumRecordNormalizer(sourceId, request.entity(), request.origin(), clock)
                .normalize(record.get());
        if (!event.externalId().equals(request.externalId())) {
            throw new RecordRejectedException("GET of " + request.entity() + " '" + request.externalId()
                    + "' answered the record '" + event.externalId() + "'");
        }
        return event;
    }
}
