package io.tributary.poller.rest.definition;

import io.tributary.mapping.declarative.DeclarativeNormalizer;
import io.tributary.mapping.declarative.MappingFailedException;
import io.tributary.model.ChangeEvent;
import io.tributary.model.spi.SourceBatch;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import io.tributary.poller.rest.pagination.strategy.NextPage;
import io.tributary.poller.rest.pagination.strategy.Page;
import io.tributary.poller.rest.pagination.strategy.PageReader;
import io.tributary.poller.rest.pagination.strategy.PageResponse;
import io.tributary.poller.rest.pagination.strategy.PaginationStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The {@code rest} {@link SourceTask} of one declared entity. A generic API promises no order, so passes,
 * not positions inside a listing, are the unit of progress (decision 0019):
 * <ul>
 *   <li>A pass walks the listing with the definition's pagination strategy from its first page, filtered by
 *       the incremental parameter at the committed high-water version minus the overlap (inclusive at most
 *       sources); without an incremental filter every pass is a full listing.</li>
 *   <li>Each page is one batch. Its cursor is the pass's own starting point ({@value #SINCE} unchanged), so a
 *       pass that fails half-way restarts from its first page; only the pass's last page carries the new
 *       high-water version (the highest version mapped in the pass), committed once all its events are.</li>
 *   <li>Re-reading is therefore the rule (overlap, restarted passes, full listings): duplicates are absorbed by
 *       the writer's version guard; nothing is skipped, whatever order the API lists records in, as long as the
 *       listing does not shift during a walk. A page-number or offset walk over a listing in which a record
 *       already read is updated or deleted mid-walk skips the record that slides back onto the read page, and
 *       its version is then below the new high-water mark (decisions 0019, 0030): it arrives with its next change
 *       or through reconciliation. That is why the forum keeps its anchored kind, {@code forum-rest}.</li>
 *   <li>A record that cannot be mapped is dead-lettered with the field path and reason, counted
 *       ({@code tributary.poller.records.rejected}, and on {@code GET /status} with the field path and the reason
 *       without the record's values), and the pass goes on; the same unchanged record read again by a later
 *       pass is not dead-lettered again (a bounded memory of the last {@value #DEAD_LETTER_MEMORY}).</li>
 * </ul>
 * Cursor fields: {@value #SINCE} = the high-water version (epoch ms, or a revision), absent before the first
 * complete pass.
 */
final class RestDefinitionTask implements SourceTask {

    static final String SINCE = "since";
    static final int DEAD_LETTER_MEMORY = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(RestDefinitionTask.class);

    private final SourcePartition partition;
    private final PaginationStrategy strategy;
    private final PageReader reader;
    private final BiFunction<NextPage, Map<String, String>, PageResponse> fetch;
    private final DeclarativeNormalizer normalizer;
    private final @Nullable IncrementalFilter incremental;
    private final int maxPages;
    private final DeadLetters deadLetters;
    private final RejectedRecords rejected;

    /**
     * Digests of the records dead-lettered lately: a pass re-reads records (a full listing re-reads them all),
     * and an unchanged broken record is dead-lettered once, not once per pass (again after a restart).
     */
    private final Map<String, Boolean> deadLettered = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > DEAD_LETTER_MEMORY;
        }
    };
    private @Nullable Long highWater;
    /** The next page of the running pass; null when no pass runs. */
    private @Nullable NextPage next;
    private boolean caughtUp;
    private Map<String, String> filter = Map.of();
    private long passHighWater;
    private int pages;

    RestDefinitionTask(SourcePartition partition, PaginationStrategy strategy, PageReader reader,
            BiFunction<NextPage, Map<String, String>, PageResponse> fetch, DeclarativeNormalizer normalizer,
            @Nullable IncrementalFilter incremental, int maxPages, DeadLetters deadLetters, RejectedRecords rejected) {
        this.partition = partition;
        this.strategy = strategy;
        this.reader = reader;
        this.fetch = fetch;
        this.normalizer = normalizer;
        this.incremental = incremental;
        this.maxPages = maxPages;
        this.deadLetters = deadLetters;
        this.rejected = rejected;
    }

    @Override
    public void start(SourcePartition partition, Optional<SourceCursor> committed) {
        if (!partition.equals(this.partition)) {
            throw new IllegalArgumentException("Task of " + this.partition + " started for " + partition);
        }
        highWater = committed.map(cursor -> cursor.fields().get(SINCE)).map(Long::valueOf).orElse(null);
        next = null;
        caughtUp = false;
    }

    @Override
    public Optional<SourceBatch> poll() throws InterruptedException {
        if (caughtUp) {
            caughtUp = false; // the runtime waits its poll interval; the next call starts a new pass
            return Optional.empty();
        }
        if (next == null) {
            beginPass();
        }
        NextPage request = next;
        if (++pages > maxPages) {
            next = null;
            throw new IllegalStateException("The listing of " + partition + " did not end within " + maxPages
                    + " pages (tributary.poller.sources[].max-pages)");
        }
        Page page = reader.read(request, fetch.apply(request, request.url() == null ? filter : Map.of()));
        List<ChangeEvent> events = new ArrayList<>(page.records().size());
        for (JsonNode record : page.records()) {
            try {
                ChangeEvent event = normalizer.normalize(record);
                events.add(event);
                passHighWater = Math.max(passHighWater, event.sourceVersion());
            } catch (MappingFailedException e) {
                String json = record.toString();
                String digest = digest(json);
                if (deadLettered.get(digest) == null) { // get, not containsKey: refreshes the entry's recency
                    LOG.warn("Dead-lettered a {} record of {}: {}", partition.entity(), partition.sourceId(), e.getMessage());
                    deadLetters.send(partition, json, e);
                    // remembered only once sent: a failed send fails the pass, whose retry must dead-letter it
                    deadLettered.put(digest, Boolean.TRUE);
                    rejected.rejected(e);
                }
            }
        }
        next = strategy.next(page).orElse(null);
        if (next != null) {
            return Optional.of(new SourceBatch(events, cursor(highWater)));
        }
        // the pass is complete: every version up to its highest was read at least once
        long before = highWater == null ? -1 : highWater;
        if (passHighWater > before) { // not a conditional expression: it would unbox a null highWater
            highWater = passHighWater;
        }
        caughtUp = true;
        LOG.debug("Pass of {} complete in {} pages; high-water version {}", partition, pages, highWater);
        return Optional.of(new SourceBatch(events, cursor(highWater)));
    }

    private void beginPass() {
        next = strategy.first();
        pages = 0;
        passHighWater = highWater == null ? -1 : highWater;
        filter = incremental == null || highWater == null ? Map.of()
                : Map.of(incremental.param(), incremental.format(incremental.from(highWater)));
    }

    private static String digest(String json) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static SourceCursor cursor(@Nullable Long highWater) {
        return new SourceCursor(highWater == null ? Map.of() : Map.of(SINCE, Long.toString(highWater)));
    }

    @Override
    public void stop() {
        // The WebClient holds no resources of its own (the application's Reactor Netty resources serve it).
    }
}
