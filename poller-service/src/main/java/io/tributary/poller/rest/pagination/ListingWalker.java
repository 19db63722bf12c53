package io.tributary.poller.rest.pagination;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a {@link Listing} (ordered by {@code (updated_at, id)}, inclusive {@code updated_since}, pages
 * computed at request time) so that every record version that stays in the listing is emitted, with a
 * durable position after every page.
 *
 * <h2>Why neither obvious walk is correct</h2>
 * A naive page walk ({@code page = 1, 2, 3...} over one filter) skips records: an update or delete
 * between two requests shifts every later record one offset to the left, so one record slides from the
 * next page onto the page already read. A plain keyset on {@code updated_at} ({@code updated_since =}
 * last seen {@code updated_at}, page 1) either loops forever or skips records inside a tie group (records
 * sharing one {@code updated_at}, which the contract allows to be larger than a page): page 1 of the
 * group is all there is to see with an inclusive filter, and an exclusive one would jump over the rest of
 * the group.
 *
 * <h2>The algorithm: keyset on (updated_at, id), offsets only inside the current tie group, every page
 * anchored by overlap</h2>
 * <ul>
 *   <li>The position P = (T, lastId, n) is the key of the last record processed and the number n of records
 *       at exactly T passed ({@link ListingPosition}). The listing for {@code updated_since = T} starts
 *       with the group T, so P sits at offset {@code n - 1}. Offsets are therefore only ever used within
 *       one tie group; the keyset moves the filter forward as soon as a page reaches a later
 *       {@code updated_at}.</li>
 *   <li>Each request asks for {@code updated_since = T} and the {@code (per_page, page)} whose page starts
 *       at or before offset {@code n - 1} and reaches furthest past it, with per_page between half the
 *       maximum and the maximum ({@link PageRequest#covering}). So every page overlaps what was already
 *       processed by at least the record at P.</li>
 *   <li>A page is a contiguous slice of the listing at request time. It is <em>trusted</em> if it starts
 *       at offset 0, or if it contains a record whose key is {@code <= P}: then no record between P and
 *       the page can have been missed. Otherwise (first key after P, or an empty page at an offset
 *       {@code > 0}) records before P left the group (updated: they reappear later with a new
 *       {@code updated_at}; or deleted) and the page may have jumped over unseen records: the walker steps
 *       back (offset {@code start - maxPerPage}, doubling on each consecutive step back, down to offset 0,
 *       which is always trusted) and asks again.</li>
 *   <li>On a trusted page, n is re-synchronised from where P (or the last record {@code <= P}) actually
 *       sits in the page, which absorbs inserts and deletes before P. The records after P are processed
 *       in order; each moves P to its key. Records are located by id equality first; the id order of
 *       {@link ListingPosition#ID_ORDER} is only a fallback for when P's record itself has moved.</li>
 *   <li>A trusted page is one {@link WalkStep}, whose position is durable once its records are published.
 *       A trusted page with {@code has_more == false}, or an empty page at offset 0, ends the pass.</li>
 *   <li>Rescan window (late arrivals behind the cursor): a record can appear at {@code updated_at == T}
 *       with an id before lastId after T was read (two writes in one millisecond, a transaction that
 *       committed late). When a pass starts and T is younger than {@code rescanWindow} by the local
 *       clock, the pass starts at {@code updated_since = T - rescanWindow}, offset 0, and emits only the
 *       versions {@code (id, updated_at)} that are not in a bounded in-memory set of versions emitted
 *       recently (entries older than {@code T - rescanWindow} are evicted). After a restart the set is
 *       empty and the window is re-published once, which the version-guarded writer absorbs. When T is
 *       older than the window, the pass resumes exactly at P. A window of zero turns this off.</li>
 * </ul>
 *
 * <p>Records without a readable id or {@code updated_at} ({@link Row#keyed()} false) occupy their offset,
 * are counted as part of the current tie group, are emitted (so the caller can reject them) when they lie
 * after P, and never anchor a page; a page made only of such records is trusted rather than stalling.
 *
 * <p>A walk may be <em>bounded</em> ({@link #start(ListingPosition, Instant)}): it covers only records with
 * {@code updated_at < until} and its pass ends at the first record at or after {@code until} on a trusted
 * page (the listing is ordered, so nothing before {@code until} lies beyond it at request time).
 * {@link ParallelWalk} walks several such ranges at once.
 *
 * <p>Cost: each page yields between about half a page and a full page of new records; a step back costs a
 * request. Memory: one page, plus the rescan set. Not thread-safe: one walker per partition, one thread.
 */
public final class ListingWalker<R> {

    private static final Logger LOG = LoggerFactory.getLogger(ListingWalker.class);

    private enum PassState { IDLE, WALKING, FINISHED }

    private final Listing<R> listing;
    private final int maxPerPage;
    private final Duration rescanWindow;
    private final InstantSource clock;
    private final RecentlyEmitted recent;

    private ListingPosition position = ListingPosition.START;
    private @Nullable Instant until;
    private ListingPosition passStart = ListingPosition.START;
    private PassState state = PassState.IDLE;
    private int stepBacks;

    /**
     * @param maxPerPage     the largest {@code per_page} to request (the contract allows 100)
     * @param rescanWindow   how far behind a young position each pass re-reads; zero = off
     * @param clock          the local clock that decides whether the position is young
     * @param recentCapacity bound of the set of recently emitted versions
     */
    public ListingWalker(Listing<R> listing, int maxPerPage, Duration rescanWindow, InstantSource clock,
            int recentCapacity) {
        if (maxPerPage < PageRequest.MIN_PER_PAGE || rescanWindow.isNegative() || recentCapacity < 1) {
            throw new IllegalArgumentException("maxPerPage must be >= " + PageRequest.MIN_PER_PAGE
                    + ", recentCapacity >= 1 and rescanWindow >= 0");
        }
        this.listing = listing;
        this.maxPerPage = maxPerPage;
        this.rescanWindow = rescanWindow;
        this.clock = clock;
        this.recent = new RecentlyEmitted(recentCapacity);
    }

    /** (Re)starts from a committed position; the next {@link #next()} begins a new pass. */
    public void start(ListingPosition committed) {
        start(committed, null);
    }

    /**
     * (Re)starts from a committed position, walking only records with {@code updated_at < until} (null =
     * unbounded); the next {@link #next()} begins a new pass.
     */
    public void start(ListingPosition committed, @Nullable Instant until) {
        position = committed;
        this.until = until;
        state = PassState.IDLE;
    }

    /** The position after the last step returned (in memory; durable only once committed). */
    public ListingPosition position() {
        return position;
    }

    /**
     * The next trusted page's worth of records, or empty when the pass is complete (caught up); the call
     * after an empty result begins a new pass.
     */
    public Optional<WalkStep<R>> next() {
        if (state == PassState.FINISHED) {
            finishPass();
            return Optional.empty();
        }
        if (state == PassState.IDLE) {
            beginPass();
        }
        while (true) {
            PageRequest request = PageRequest.covering(position, maxPerPage);
            ListingPage<R> page = listing.fetch(request);
            long start = request.startOffset();
            List<Row<R>> rows = page.rows();
            if (rows.isEmpty()) {
                if (start == 0) {
                    finishPass();
                    return Optional.empty();
                }
                stepBack(request, "empty page");
                continue;
            }
            int anchor = anchorIndex(rows);
            if (start > 0 && anchor < 0 && rows.stream().anyMatch(Row::keyed)) {
                stepBack(request, "first record after the position");
                continue;
            }
            stepBacks = 0;
            WalkStep<R> step = advance(rows, start, anchor);
            if (!page.hasMore()) {
                state = PassState.FINISHED;
            }
            return Optional.of(step);
        }
    }

    private void beginPass() {
        state = PassState.WALKING;
        stepBacks = 0;
        passStart = position;
        Instant t = position.updatedAt();
        if (rescanWindow.isZero() || t == null) {
            return;
        }
        Instant from = t.minus(rescanWindow);
        recent.evictOlderThan(from);
        if (t.isAfter(clock.instant().minus(rescanWindow))) {
            LOG.debug("Position {} is younger than the rescan window {}: re-reading from {}", position, rescanWindow,
                    ListingPosition.format(from));
            position = new ListingPosition(from, null, 0);
        }
    }

    /** Ends the pass; a rescan never leaves the in-memory position behind where the pass began. */
    private void finishPass() {
        state = PassState.IDLE;
        Instant begun = passStart.updatedAt();
        if (begun != null && (position.updatedAt() == null
                || position.compareKey(begun, passStart.lastId() == null ? "" : passStart.lastId()) > 0)) {
            position = passStart;
        }
    }

    /** Index of P's own record (by id), else of the last record {@code <= P}; -1 if none. */
    private int anchorIndex(List<Row<R>> rows) {
        Instant t = position.updatedAt();
        String lastId = position.lastId();
        if (t == null) {
            return -1;
        }
        if (lastId != null) {
            for (int i = 0; i < rows.size(); i++) {
                Row<R> row = rows.get(i);
                if (lastId.equals(row.id()) && t.equals(row.updatedAt())) {
                    return i;
                }
            }
        }
        int anchor = -1;
        for (int i = 0; i < rows.size(); i++) {
            Row<R> row = rows.get(i);
            if (row.keyed() && position.compareKey(row.updatedAt(), row.id()) <= 0) {
                anchor = i;
            }
        }
        return anchor;
    }

    private WalkStep<R> advance(List<Row<R>> rows, long start, int anchor) {
        Instant t = position.updatedAt();
        String lastId = position.lastId();
        long passed = position.passed();
        // Offset, within group t, of rows[0]: the request was for updated_since = t and the page lies in group t.
        long groupBase = start;
        if (anchor >= 0 && t != null && t.equals(rows.get(anchor).updatedAt())) {
            passed = start + anchor + 1;
        } else if (start == 0) {
            passed = 0;
        }
        List<Row<R>> emit = new ArrayList<>();
        for (int i = anchor + 1; i < rows.size(); i++) {
            Row<R> row = rows.get(i);
            Instant updatedAt = row.updatedAt();
            String id = row.id();
            if (updatedAt == null || id == null) {
                emit.add(row);
                if (t != null) {
                    passed = groupBase + i + 1;
                }
                continue;
            }
            if (until != null && !updatedAt.isBefore(until)) {
                state = PassState.FINISHED; // the rest of the page (and listing) belongs to a later range
                break;
            }
            if (!updatedAt.equals(t)) {
                t = updatedAt;
                groupBase = -i;
            }
            passed = groupBase + i + 1;
            lastId = id;
            if (rescanWindow.isZero() || recent.add(id, updatedAt)) {
                emit.add(row);
            }
        }
        position = t == null ? ListingPosition.START : new ListingPosition(t, lastId, passed);
        return new WalkStep<>(emit, position);
    }

    private void stepBack(PageRequest request, String reason) {
        stepBacks++;
        long back = (long) maxPerPage << Math.min(stepBacks - 1, 32);
        long passed = Math.max(0, request.startOffset() + 1 - back);
        LOG.debug("Page {} (per_page {}) since {} is not anchored ({}): stepping back from {} to {} records passed",
                request.page(), request.perPage(), request.updatedSince(), reason, position.passed(), passed);
        position = position.withPassed(passed);
    }
}
