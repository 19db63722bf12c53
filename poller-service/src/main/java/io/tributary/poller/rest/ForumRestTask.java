package io.tributary.poller.rest;

import io.micrometer.core.instrument.Counter;
import io.tributary.mapping.ForumRecordNormalizer;
import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.ChangeEvent;
import io.tributary.model.spi.SourceBatch;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import io.tributary.poller.rest.pagination.InitialRanges;
import io.tributary.poller.rest.pagination.Listing;
import io.tributary.poller.rest.pagination.ListingPosition;
import io.tributary.poller.rest.pagination.ListingWalker;
import io.tributary.poller.rest.pagination.ParallelWalk;
import io.tributary.poller.rest.pagination.Row;
import io.tributary.poller.rest.pagination.WalkRange;
import io.tributary.poller.rest.pagination.WalkRanges;
import io.tributary.poller.rest.pagination.WalkStep;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The {@code forum-rest} {@link SourceTask} of one collection. Normally each {@link #poll()} is one trusted
 * page of the {@link ListingWalker}, normalized. The initial sync (no committed cursor) is walked as
 * {@code initial-walk.ranges} time ranges, {@code initial-walk.concurrency} at a time ({@link ParallelWalk},
 * decision 0026): each poll then takes the pages ready from any range, up to {@code initial-walk.batch-records}
 * records, and its cursor holds every range's position ({@link WalkRanges}), so a restart resumes each range.
 * Once every range is done, the cursor becomes the last range's plain position and polling continues from it.
 * Records that cannot be normalized are logged, counted ({@code tributary.poller.records.rejected}) and
 * skipped, so they never stall the stream.
 */
final class ForumRestTask implements SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(ForumRestTask.class);

    private final SourcePartition partition;
    private final Listing<JsonNode> listing;
    private final Supplier<ListingWalker<JsonNode>> walkers;
    private final ListingWalker<JsonNode> walker;
    private final ForumRestProperties.InitialWalk initialWalk;
    private final InstantSource clock;
    private final int perPage;
    private final ForumRecordNormalizer normalizer;
    private final Counter rejected;
    private @Nullable ParallelWalk<JsonNode> parallel;

    ForumRestTask(SourcePartition partition, Listing<JsonNode> listing, Supplier<ListingWalker<JsonNode>> walkers,
            ForumRestProperties.InitialWalk initialWalk, int perPage, InstantSource clock,
            ForumRecordNormalizer normalizer, Counter rejected) {
        this.partition = partition;
        this.listing = listing;
        this.walkers = walkers;
        this.walker = walkers.get();
        this.initialWalk = initialWalk;
        this.clock = clock;
        this.perPage = perPage;
        this.normalizer = normalizer;
        this.rejected = rejected;
    }

    @Override
    public void start(SourcePartition partition, Optional<SourceCursor> committed) {
        if (!partition.equals(this.partition)) {
            throw new IllegalArgumentException("Task of " + this.partition + " started for " + partition);
        }
        closeParallel();
        Optional<WalkRanges> ranges = committed.isPresent()
                ? committed.filter(WalkRanges::isRanged).map(WalkRanges::fromCursor)
                : InitialRanges.plan(listing, initialWalk.ranges(), clock);
        if (ranges.isPresent() && ranges.get().done()) {
            walker.start(ranges.get().last().position());
        } else if (ranges.isPresent()) {
            LOG.info("Walking {} of {} as {} ranges, {} at a time ({} done)", partition.entity(), partition.sourceId(),
                    ranges.get().ranges().size(), initialWalk.concurrency(),
                    ranges.get().ranges().stream().filter(WalkRange::done).count());
            parallel = new ParallelWalk<>(ranges.get(), walkers, initialWalk.concurrency(), lead(), partition.encode());
        } else {
            walker.start(committed.map(ListingPosition::fromCursor).orElse(ListingPosition.START));
        }
    }

    @Override
    public Optional<SourceBatch> poll() throws InterruptedException {
        if (parallel != null) {
            return pollRanges(parallel);
        }
        Optional<WalkStep<JsonNode>> step = walker.next();
        if (step.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SourceBatch(normalize(step.get().emit()), step.get().position().toCursor()));
    }

    private Optional<SourceBatch> pollRanges(ParallelWalk<JsonNode> walk) throws InterruptedException {
        ParallelWalk.Progress<JsonNode> progress;
        try {
            progress = walk.next(initialWalk.batchRecords());
        } catch (RuntimeException e) {
            closeParallel();
            throw e;
        }
        List<ChangeEvent> events = normalize(progress.emit());
        if (!progress.ranges().done()) {
            return Optional.of(new SourceBatch(events, progress.ranges().toCursor()));
        }
        // Every range is done: the listing continues from where the last (unbounded) range ended.
        closeParallel();
        ListingPosition end = progress.ranges().last().position();
        walker.start(end);
        LOG.info("Initial walk of {} of {} complete at {}", partition.entity(), partition.sourceId(), end);
        return Optional.of(new SourceBatch(events, end.toCursor()));
    }

    /** Pages fetched ahead: enough for two full batches, so one is ready while the other is published. */
    private int lead() {
        int pagesPerBatch = (initialWalk.batchRecords() + perPage - 1) / perPage;
        return Math.max(2 * initialWalk.concurrency(), 2 * pagesPerBatch);
    }

    private List<ChangeEvent> normalize(List<Row<JsonNode>> rows) {
        List<ChangeEvent> events = new ArrayList<>(rows.size());
        for (Row<JsonNode> row : rows) {
            try {
                events.add(normalizer.normalize(row.record()));
            } catch (RecordRejectedException e) {
                rejected.increment();
                LOG.warn("Rejected a {} record of {} (id {}): {}", partition.entity(), partition.sourceId(), row.id(),
                        e.getMessage());
            }
        }
        return events;
    }

    private void closeParallel() {
        if (parallel != null) {
            parallel.close();
            parallel = null;
        }
    }

    @Override
    public void stop() {
        closeParallel(); // the WebClient holds no resources of its own (Reactor Netty's shared pool serves it)
    }
}
