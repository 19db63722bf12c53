package io.tributary.poller.rest.definition;

import io.tributary.definition.EntitySource;
import io.tributary.definition.SourceDefinition;
import io.tributary.mapping.declarative.DeclarativeNormalizer;
import io.tributary.mapping.declarative.MappingFailedException;
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
 * Reads one record of a declared entity again ({@code endpoint.itemPath}, e.g. {@code /music/{id}}; the body is
 * the record), for refresh requests and reconciliation repairs: 200 → the record mapped as polling maps it (an
 * UPSERT at its version); 404 → a DELETE at the time of the 404 (ids are taken as never reused, as for the
 * forum). An entity without an {@code itemPath} cannot be refreshed: the request fails (and is left to polling).
 */
final class RestRecordRefresher implements RecordRefresher {

    private final SourceDefinition definition;
    private final Function<String, RestPageClient> clientFactory;
    private final Map<String, RestPageClient> clients = new ConcurrentHashMap<>();
    private final InstantSource clock;

    RestRecordRefresher(SourceDefinition definition, Function<String, RestPageClient> clientFactory, InstantSource clock) {
        this.definition = definition;
        this.clientFactory = clientFactory;
        this.clock = clock;
    }

    @Override
    public ChangeEvent refresh(RefreshRequest request) {
        if (!request.sourceId().equals(definition.id())) {
            throw new IllegalArgumentException("Refresher of " + definition.id() + " asked for " + request.key());
        }
        EntitySource entity = definition.entity(request.entity()).orElseThrow(() -> new IllegalArgumentException(
                "Source " + definition.id() + " declares no entity '" + request.entity() + "'"));
        String itemPath = entity.endpoint() == null ? null : entity.endpoint().itemPath();
        if (itemPath == null) {
            throw new IllegalStateException("Entity " + request.entity() + " of " + definition.id()
                    + " has no endpoint.itemPath: its records cannot be read one by one");
        }
        Optional<JsonNode> record = clients.computeIfAbsent(request.entity(), clientFactory)
                .fetchOne(itemPath, request.externalId());
        Instant now = clock.instant();
        if (record.isEmpty()) {
            return ChangeEvent.of(definition.id(), request.entity(), request.externalId(), Operation.DELETE,
                    now.toEpochMilli(), now, request.origin(), Map.of());
        }
        ChangeEvent event = new DeclarativeNormalizer(definition.id(), request.entity(), request.origin(), clock,
                entity.mapping()).normalize(record.get());
        if (!event.externalId().equals(request.externalId())) {
            throw new MappingFailedException(entity.mapping().key(), "GET of '" + request.externalId()
                    + "' answered the record '" + event.externalId() + "'");
        }
        return event;
    }
}
