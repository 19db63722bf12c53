package io.tributary.poller.rest.pagination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.poller.rest.pagination.FakeListing.Version;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The initial sync's parallel range walk (decision 0026) against the contract's listing. */
class ParallelWalkTest {

    private static final Instant BASE = Instant.parse("2026-11-21T10:00:00.000Z");
    private static final InstantSource LATER = InstantSource.fixed(BASE.plus(Duration.ofDays(365)));

    @Test
    void coversEveryRecordOnceWithTieGroupsLargerThanAPageOnTheRangeBounds() {
        FakeListing listing = new FakeListing();
        Random random = new Random(1);
        for (int i = 0; i < 3000; i++) {
            // groups of 350 at 1000 and 2000 ms: exactly on the bounds below, and one inside a range
            int millis = i >= 1000 && i < 1350 ? 1000 : i >= 2000 && i < 2350 ? 2000 : i >= 2500 && i < 2850 ? 2500 : i;
            listing.put(randomId(random), BASE.plusMillis(millis));
        }
        WalkRanges ranges = new WalkRanges(List.of(
                new WalkRange(BASE.plusMillis(1000), ListingPosition.START, false),
                new WalkRange(BASE.plusMillis(2000), new ListingPosition(BASE.plusMillis(1000), null, 0), false),
                new WalkRange(null, new ListingPosition(BASE.plusMillis(2000), null, 0), false)));

        Walked walked = walk(listing, ranges, 3, Integer.MAX_VALUE);

        assertThat(walked.emitted).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(listing.versions());
        assertThat(walked.last.done()).isTrue();
        Version newest = listing.versions().get(listing.versions().size() - 1);
        assertThat(walked.last.last().position()).isEqualTo(new ListingPosition(newest.updatedAt(), newest.id(), 1));
    }

    @Test
    void plannedRangesCoverTheWholeListingAndEndNearItsNewestRecord() {
        FakeListing listing = new FakeListing();
        Random random = new Random(2);
        for (int i = 0; i < 5000; i++) {
            listing.put(randomId(random), BASE.plusSeconds(random.nextInt(86_400)));
        }
        Instant newest = listing.maxUpdatedAt();

        WalkRanges ranges = InitialRanges.plan(listing, 16, LATER).orElseThrow();

        assertThat(ranges.ranges()).hasSize(16);
        assertThat(ranges.ranges().get(0).position()).isEqualTo(ListingPosition.START);
        Instant lastBound = ranges.ranges().get(14).until();
        // within 1/64 of the 365 days back to the clock, and the last range is not empty
        assertThat(lastBound).isBefore(newest).isAfter(BASE);
        assertThat(listing.requests()).hasSizeLessThan(50).allSatisfy(r -> assertThat(r.page()).isEqualTo(1));
        assertThat(walk(listing, ranges, 4, 500).emitted).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(listing.versions());
    }

    @Test
    void noPlanForAnEmptyOrInstantListing() {
        FakeListing listing = new FakeListing();
        assertThat(InitialRanges.plan(listing, 8, LATER)).isEmpty();
        listing.put("a", BASE);
        listing.put("b", BASE);
        assertThat(InitialRanges.plan(listing, 8, InstantSource.fixed(BASE))).isEmpty();
        assertThat(InitialRanges.plan(listing, 1, LATER)).isEmpty();
    }

    /**
     * Before each of the first requests: updates (to "now", after every record, as a source's clock
     * moves), deletes and creates, while four ranges are walked at once. Once the ranges are done, the walk
     * continues from the last range's position as the task does; every final version has been emitted.
     */
    @Test
    void emitsEveryFinalVersionWhileRecordsChangeDuringTheWalk() {
        for (int seed = 0; seed < 100; seed++) {
            Random random = new Random(seed);
            FakeListing listing = new FakeListing();
            int size = 500 + random.nextInt(1500);
            for (int i = 0; i < size; i++) {
                listing.put(randomId(random), BASE.plusMillis(random.nextInt(size / (1 + random.nextInt(20)) + 1)));
            }
            AtomicReference<Instant> now = new AtomicReference<>(listing.maxUpdatedAt());
            AtomicInteger mutating = new AtomicInteger(20 + random.nextInt(80));
            listing.beforeEachRequest(fake -> {
                if (mutating.getAndDecrement() <= 0) {
                    return;
                }
                now.set(now.get().plusMillis(1 + random.nextInt(2))); // same-millisecond writes are the rescan window's job
                for (int op = random.nextInt(8); op > 0; op--) {
                    List<String> ids = fake.ids();
                    int kind = random.nextInt(3);
                    if (kind == 0 && !ids.isEmpty()) {
                        fake.put(ids.get(random.nextInt(ids.size())), now.get());
                    } else if (kind == 1 && !ids.isEmpty()) {
                        fake.delete(ids.get(random.nextInt(ids.size())));
                    } else {
                        fake.put(randomId(random), now.get());
                    }
                }
            });
            WalkRanges ranges = InitialRanges.plan(listing, 2 + random.nextInt(12), LATER).orElseThrow();

            Walked walked = walk(listing, ranges, 1 + random.nextInt(4), 1 + random.nextInt(300));
            ListingWalker<Version> rest = walker(listing);
            rest.start(walked.last.last().position());
            List<Version> emitted = new ArrayList<>(walked.emitted);
            for (int pass = 0; pass < 1000 && (mutating.get() > 0 || pass < 2); pass++) {
                emitted.addAll(walkPass(rest));
            }

            List<Version> missing = new ArrayList<>(listing.versions());
            missing.removeAll(emitted);
            assertThat(missing).as("seed %d: every final version emitted; ranges %s", seed, walked.last).isEmpty();
            assertThat(emitted).as("seed %d: no version emitted twice", seed).doesNotHaveDuplicates();
        }
    }

    @Test
    void restartFromTheDurableCursorResumesEveryRangeWithoutRepeatingOrSkipping() throws InterruptedException {
        FakeListing listing = new FakeListing();
        Random random = new Random(4);
        for (int i = 0; i < 4000; i++) {
            listing.put(randomId(random), BASE.plusMillis(random.nextInt(2000)));
        }
        WalkRanges planned = InitialRanges.plan(listing, 8, LATER).orElseThrow();
        List<Version> emitted = new ArrayList<>();
        WalkRanges committed;
        try (ParallelWalk<Version> walk = new ParallelWalk<>(planned, () -> walker(listing), 3, 6, "test")) {
            ParallelWalk.Progress<Version> progress = null;
            for (int i = 0; i < 12; i++) {
                progress = walk.next(150);
                progress.emit().forEach(row -> emitted.add(row.record()));
            }
            committed = WalkRanges.fromCursor(progress.ranges().toCursor()); // as the checkpoint store keeps it
            walk.next(150); // published, never committed: a crash loses it
        }
        assertThat(committed.ranges()).anySatisfy(range -> assertThat(range.done()).isFalse())
                .filteredOn(range -> !range.position().equals(ListingPosition.START)).hasSizeGreaterThan(1);
        int requestsBefore = listing.requests().size();

        Walked rest = walk(listing, committed, 3, 150);
        emitted.addAll(rest.emitted);

        assertThat(emitted).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(listing.versions());
        assertThat(listing.requests().size() - requestsBefore).as("a restart re-reads only what was left")
                .isLessThan(requestsBefore);
    }

    @Test
    void aRangeThatFailsFailsTheWalkAndKeepsTheProgressOfEveryOtherRange() throws InterruptedException {
        FakeListing listing = new FakeListing();
        Random random = new Random(5);
        for (int i = 0; i < 3000; i++) {
            listing.put(randomId(random), BASE.plusMillis(i));
        }
        Instant failingFrom = BASE.plusMillis(1000);
        AtomicInteger failures = new AtomicInteger(3);
        AtomicInteger secondRangeRequests = new AtomicInteger();
        Listing<Version> flaky = request -> {
            // the second range: 503 beyond the client's retries, from its fifth request on, three times
            if (inSecondRange(request.updatedSince()) && secondRangeRequests.incrementAndGet() > 4
                    && failures.getAndDecrement() > 0) {
                throw new IllegalStateException("GET .../api/messages answered 503 after 10 attempts");
            }
            return listing.fetch(request);
        };
        WalkRanges planned = new WalkRanges(List.of(
                new WalkRange(BASE.plusMillis(1000), ListingPosition.START, false),
                new WalkRange(BASE.plusMillis(2000), new ListingPosition(BASE.plusMillis(1000), null, 0), false),
                new WalkRange(null, new ListingPosition(BASE.plusMillis(2000), null, 0), false)));
        List<Version> emitted = new ArrayList<>();
        WalkRanges committed = planned;
        int failedPasses = 0;
        int firstRangeUncommittedAtFailure = 0;
        while (!committed.done()) {
            try (ParallelWalk<Version> walk = new ParallelWalk<>(committed, () -> walker(flaky), 3, 6, "test")) {
                while (!walk.done()) {
                    ParallelWalk.Progress<Version> progress = walk.next(100);
                    progress.emit().forEach(row -> emitted.add(row.record()));
                    committed = progress.ranges();
                }
            } catch (IllegalStateException e) {
                failedPasses++;
                assertThat(e).hasMessageContaining("range 2 of 3").hasMessageContaining("503");
                assertThat(committed.ranges().get(1).done()).isFalse();
                if (committed.ranges().get(0).position().equals(ListingPosition.START)) {
                    firstRangeUncommittedAtFailure++;
                }
            }
        }

        assertThat(failedPasses).isEqualTo(3);
        assertThat(emitted).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(listing.versions());
        long firstRangeRestarts = listing.requests().stream().filter(r -> r.updatedSince() == null && r.page() == 1).count();
        assertThat(firstRangeRestarts).as("the first range is walked again from its start only if it had committed nothing")
                .isEqualTo(1 + firstRangeUncommittedAtFailure);
        assertThat(firstRangeUncommittedAtFailure).isLessThan(3);
    }

    @Test
    void theRangedCursorRoundTripsAndARangedCursorThatIsNotOneIsRejectedByName() {
        WalkRanges ranges = new WalkRanges(List.of(
                new WalkRange(BASE.plusMillis(1000), new ListingPosition(BASE.plusMillis(500), "m|7", 3), true),
                new WalkRange(null, new ListingPosition(BASE.plusMillis(1000), null, 0), false)));

        assertThat(WalkRanges.fromCursor(ranges.toCursor())).isEqualTo(ranges);
        assertThat(WalkRanges.isRanged(ranges.toCursor())).isTrue();
        assertThat(WalkRanges.isRanged(new ListingPosition(BASE, "a", 1).toCursor())).isFalse();
        assertThatThrownBy(() -> WalkRanges.fromCursor(new io.tributary.model.spi.SourceCursor(
                java.util.Map.of("ranges", "2", "r00.until", "yesterday"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not a ranged listing cursor")
                .hasMessageContaining("yesterday");
        assertThatThrownBy(() -> new WalkRanges(List.of(new WalkRange(BASE, ListingPosition.START, false))))
                .hasMessageContaining("only the last may be unbounded");
    }

    private static boolean inSecondRange(Instant since) {
        return since != null && !since.isBefore(BASE.plusMillis(1000)) && since.isBefore(BASE.plusMillis(2000));
    }

    private record Walked(List<Version> emitted, WalkRanges last) {
    }

    private static Walked walk(Listing<Version> listing, WalkRanges ranges, int concurrency, int maxRecords) {
        List<Version> emitted = new ArrayList<>();
        WalkRanges last = ranges;
        try (ParallelWalk<Version> walk =
                new ParallelWalk<>(ranges, () -> walker(listing), concurrency, 2 * concurrency, "test")) {
            while (!walk.done()) {
                ParallelWalk.Progress<Version> progress = walk.next(maxRecords);
                progress.emit().forEach(row -> emitted.add(row.record()));
                last = progress.ranges();
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return new Walked(emitted, last);
    }

    private static ListingWalker<Version> walker(Listing<Version> listing) {
        return new ListingWalker<>(listing, 100, Duration.ZERO, LATER, 100_000);
    }

    private static List<Version> walkPass(ListingWalker<Version> walker) {
        List<Version> emitted = new ArrayList<>();
        for (Optional<WalkStep<Version>> step = walker.next(); step.isPresent(); step = walker.next()) {
            step.get().emit().forEach(row -> emitted.add(row.record()));
        }
        return emitted;
    }

    private static String randomId(Random random) {
        return Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }
}
