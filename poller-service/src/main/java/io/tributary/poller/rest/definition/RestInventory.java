package io.tributary.poller.rest.definition;

import io.tributary.definition.EntitySource;
import io.tributary.definition.SourceDefinition;
import io.tributary.mapping.declarative.DeclarativeNormalizer;
import io.tributary.mapping.declarative.MappingFailedException;
import io.tributary.model.ChangeEvent;
import io.tributary.model.Origin;
import io.tributary.poller.rest.pagination.strategy.NextPage;
import io.tributary.poller.rest.pagination.strategy.Page;
import io.tributary.poller.rest.pagination.strategy.PageReader;
import io.tributary.poller.rest.pagination.strategy.PaginationResolver;
import io.tributary.poller.rest.pagination.strategy.PaginationStrategy;
import io.tributary.poller.runtime.SourceInventory;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import tools.jackson.databind.JsonNode;

/**
 * Every record of a declared entity, for verify and reconciliation: an unfiltered walk of the listing, each
 * record mapped as polling maps it (records that cannot be mapped are skipped: they are dead letters, not rows).
 * A failed request fails the scan (after the client's retries), so an incomplete scan is never taken as proof.
 */
final class RestInventory implements SourceInventory {

    private final SourceDefinition definition;
    private final Function<String, RestPageClient> clients;
    private final int maxPages;

    RestInventory(SourceDefinition definition, Function<String, RestPageClient> clients, int maxPages) {
        this.definition = definition;
        this.clients = clients;
        this.maxPages = maxPages;
    }

    @Override
    public void scan(String entityName, ObjLongConsumer<String> visitor) {
        EntitySource entity = definition.entity(entityName).orElseThrow(() -> new IllegalArgumentException(
                "Source " + definition.id() + " declares no entity '" + entityName + "'"));
        RestPageClient client = clients.apply(entityName);
        PaginationStrategy strategy = PaginationResolver.resolve(entity.pagination());
        PageReader reader = PageReader.of(entity.records());
        DeclarativeNormalizer normalizer = new DeclarativeNormalizer(definition.id(), entityName, Origin.POLL,
                InstantSource.system(), entity.mapping());
        Optional<NextPage> request = Optional.of(strategy.first());
        int pages = 0;
        while (request.isPresent()) {
            if (++pages > maxPages) {
                throw new IllegalStateException("The listing of " + definition.id() + "/" + entityName
                        + " did not end within " + maxPages + " pages");
            }
            Page page = reader.read(request.get(), client.fetch(request.get(), Map.of()));
            for (JsonNode record : page.records()) {
                try {
                    ChangeEvent event = normalizer.normalize(record);
                    visitor.accept(event.externalId(), event.sourceVersion());
                } catch (MappingFailedException e) {
                    // a dead letter, not a row: nothing to compare
                }
            }
            request = strategy.next(page);
        }
    }
}
