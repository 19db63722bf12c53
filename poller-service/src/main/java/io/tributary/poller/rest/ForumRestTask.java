package io.tributary.poller.rest;

import io.micrometer.core.instrument.Counter;
import io.tributary.mapping.ForumRecordNormalizer;
import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.ChangeEvent;
import io.tributary.model.spi.SourceBatch;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import io.tributary.poller.rest.pagination.ListingPosition;
import io.tributary.poller.rest.pagination.ListingWalker;
import io.tributary.poller.rest.pagination.Row;
import io.tributary.poller.rest.pagination.WalkStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The {@code forum-rest} {@link SourceTask} of one collection: each {@link #poll()} is one trusted page
 * of the {@link ListingWalker}, normalized; records that cannot be normalized are logged, counted
 * ({@code tributary.poller.records.rejected}) and skipped, so they never stall the stream.
 */
final class ForumRestTask implements SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(ForumRestTask.class);

    private final SourcePartition partition;
    private final ListingWalker<JsonNode> walker;
    private final ForumRecordNormalizer normalizer;
    private final Counter rejected;

    ForumRestTask(SourcePartition partition, ListingWalker<JsonNode> walker, ForumRecordNormalizer normalizer,
            Counter rejected) {
        this.partition = partition;
        this.walker = walker;
        this.normalizer = normalizer;
        this.rejected = rejected;
    }

    @Override
    public void start(SourcePartition partition, Optional<SourceCursor> committed) {
        if (!partition.equals(this.partition)) {
            throw new IllegalArgumentException("Task of " + this.partition + " started for " + partition);
        }
        walker.start(committed.map(ListingPosition::fromCursor).orElse(ListingPosition.START));
    }

    @Override
    public Optional<SourceBatch> poll() {
        Optional<WalkStep<JsonNode>> step = walker.next();
        if (step.isEmpty()) {
            return Optional.empty();
        }
        List<ChangeEvent> events = new ArrayList<>(step.get().emit().size());
        for (Row<JsonNode> row : step.get().emit()) {
            try {
                events.add(normalizer.normalize(row.record()));
            } catch (RecordRejectedException e) {
                rejected.increment();
                LOG.warn("Rejected a {} record of {} (id {}): {}", partition.entity(), partition.sourceId(), row.id(),
                        e.getMessage());
            }
        }
        return Optional.of(new SourceBatch(events, step.get().position().toCursor()));
    }

    @Override
    public void stop() {
        // The WebClient holds no resources of its own (Reactor Netty's shared pool serves it).
    }
}
