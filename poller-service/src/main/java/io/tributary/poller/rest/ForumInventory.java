package io.tributary.poller.rest;

import io.tributary.mapping.ForumRecordNormalizer;
import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.ChangeEvent;
import io.tributary.model.Origin;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.rest.pagination.Listing;
import io.tributary.poller.rest.pagination.ListingPosition;
import io.tributary.poller.rest.pagination.ListingWalker;
import io.tributary.poller.rest.pagination.Row;
import io.tributary.poller.rest.pagination.WalkStep;
import io.tributary.poller.runtime.SourceInventory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import tools.jackson.databind.JsonNode;

/**
 * A forum collection's inventory: one complete pass of the same {@link ListingWalker} polling uses, from
 * the start of the listing ({@code updated_since} omitted) with no rescan window, so a record that exists
 * throughout the pass is visited, a record updated during it is visited at its new version too, and a
 * failed page (after the client's retries) fails the scan. Ids and versions come from the same mapping
 * code as the change events, so they compare exactly with the main database; records that mapping rejects
 * are skipped, as polling skips them. Cost: one request per {@code per-page} records (10,000 requests per
 * million records at 100 per page), at the source's rate limit.
 */
final class ForumInventory implements SourceInventory {

    private final String sourceId;
    private final int perPage;
    private final Function<String, Listing<JsonNode>> listings;

    ForumInventory(String sourceId, int perPage, Function<String, Listing<JsonNode>> listings) {
        this.sourceId = sourceId;
        this.perPage = perPage;
        this.listings = listings;
    }

    @Override
    public void scan(String entity, ObjLongConsumer<String> visitor) {
        ListingWalker<JsonNode> walker = new ListingWalker<>(listings.apply(entity), perPage, Duration.ZERO,
                InstantSource.system(), 1);
        walker.start(ListingPosition.START);
        ForumRecordNormalizer normalizer = new ForumRecordNormalizer(sourceId, entity, Origin.RECONCILE,
                InstantSource.system());
        Optional<WalkStep<JsonNode>> step;
        while ((step = walker.next()).isPresent()) {
            for (Row<JsonNode> row : step.get().emit()) {
                try {
                    ChangeEvent event = normalizer.normalize(row.record());
                    visitor.accept(event.externalId(), event.sourceVersion());
                } catch (RecordRejectedException e) {
                    // Polling rejects (and counts) the same record; it is in neither inventory.
                }
            }
        }
    }
}
