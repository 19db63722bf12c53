package io.tributary.poller.rest.pagination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.poller.rest.pagination.FakeListing.Version;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListingWalkerTest {

    private static final Instant BASE = Instant.parse("2026-11-21T10:00:00.000Z");
    /** A local clock far after every record: the rescan window never applies. */
    private static final InstantSource LATER = InstantSource.fixed(BASE.plus(Duration.ofDays(365)));

    @ParameterizedTest(name = "tie group of 350 starting at record {0}")
    @ValueSource(ints = {0, 1, 99, 100, 325, 650})
    void emitsEveryRecordExactlyOnceAcrossATieGroupLargerThanAPage(int groupStart) {
        FakeListing listing = new FakeListing();
        Random random = new Random(groupStart);
        for (int i = 0; i < 1000; i++) {
            Instant updatedAt = i >= groupStart && i < groupStart + 350 ? BASE.plusMillis(groupStart) : BASE.plusMillis(i);
            listing.put(randomId(random), updatedAt);
        }
        ListingWalker<Version> walker = walker(listing, Duration.ZERO, LATER);

        List<Version> emitted = walkPass(walker);

        assertThat(emitted).doesNotHaveDuplicates().containsExactlyElementsOf(listing.versions());
        assertThat(listing.requests()).hasSizeLessThanOrEqualTo(25);
        assertThat(walkPass(walker)).isEmpty();
    }

    @Test
    void walksSeveralAdjacentTieGroupsAndSinglePageListings() {
        FakeListing listing = new FakeListing();
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            listing.put(randomId(random), BASE.plusMillis(i / 250));
        }
        assertThat(walkPass(walker(listing, Duration.ZERO, LATER))).containsExactlyElementsOf(listing.versions());

        FakeListing small = new FakeListing();
        small.put("a", BASE);
        assertThat(walkPass(walker(small, Duration.ZERO, LATER))).containsExactly(new Version("a", BASE));
        assertThat(walkPass(walker(new FakeListing(), Duration.ZERO, LATER))).isEmpty();
    }

    @Test
    void emitsEveryFinalVersionWhileTheListingChangesBeforeEveryRequest() {
        for (int seed = 0; seed < 300; seed++) {
            checkMutatingWalk(seed, false);
        }
    }

    @Test
    void rescanWindowCatchesSameMillisecondWritesBehindTheCursorUnderMutation() {
        for (int seed = 0; seed < 150; seed++) {
            checkMutatingWalk(seed, true);
        }
    }

    /**
     * Random listing with big tie groups; before each of the first requests, random updates (to "now",
     * several sharing one timestamp), deletes and creates. After the mutations stop and the walk is
     * caught up, every record's final version has been emitted.
     */
    private static void checkMutatingWalk(int seed, boolean sameMillisecondWrites) {
        Random random = new Random(seed);
        FakeListing listing = new FakeListing();
        int size = 200 + random.nextInt(600);
        int spread = 5 + random.nextInt(40);
        for (int i = 0; i < size; i++) {
            listing.put(randomId(random), BASE.plusMillis(random.nextInt(spread)));
        }
        AtomicReference<Instant> now = new AtomicReference<>(listing.maxUpdatedAt());
        int[] requestsLeftToMutate = {10 + random.nextInt(60)};
        listing.beforeEachRequest(fake -> {
            if (requestsLeftToMutate[0]-- <= 0) {
                return;
            }
            if (!sameMillisecondWrites || random.nextInt(3) == 0) {
                now.set(now.get().plusMillis(1 + random.nextInt(2)));
            }
            int operations = random.nextInt(6);
            for (int op = 0; op < operations; op++) {
                // Half of the updates and deletes hit the tie group being walked: they shift its pages.
                List<String> ids = random.nextBoolean() ? fake.ids() : currentGroup(fake);
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
        InstantSource clock = sameMillisecondWrites ? () -> now.get().plusMillis(300) : LATER;
        ListingWalker<Version> walker = walker(listing, sameMillisecondWrites ? Duration.ofSeconds(2) : Duration.ZERO, clock);

        List<Version> emitted = new ArrayList<>();
        for (int pass = 0; pass < 1000 && (requestsLeftToMutate[0] > 0 || pass < 2); pass++) {
            emitted.addAll(walkPass(walker));
        }
        if (sameMillisecondWrites) {
            emitted.addAll(walkPass(walker));
        }

        assertThat(requestsLeftToMutate[0]).as("seed %d: mutations finished", seed).isLessThanOrEqualTo(0);
        assertThat(emitted).as("seed %d: every final version emitted", seed).containsAll(listing.versions());
        if (!sameMillisecondWrites) {
            assertThat(emitted).as("seed %d: no version emitted twice", seed).doesNotHaveDuplicates();
        }
    }

    private static List<String> currentGroup(FakeListing fake) {
        List<PageRequest> requests = fake.requests();
        Instant since = requests.isEmpty() ? null : requests.get(requests.size() - 1).updatedSince();
        return fake.versions().stream()
                .filter(version -> since == null || version.updatedAt().equals(since))
                .map(Version::id)
                .toList();
    }

    @Test
    void resumesFromASavedCursorInsideATieGroupWithoutLosingRecords() {
        FakeListing listing = new FakeListing();
        Random random = new Random(3);
        for (int i = 0; i < 1000; i++) {
            listing.put(randomId(random), i >= 200 && i < 550 ? BASE.plusMillis(200) : BASE.plusMillis(i));
        }
        ListingWalker<Version> first = walker(listing, Duration.ZERO, LATER);
        List<Version> emitted = new ArrayList<>();
        while (first.position().passed() < 150 || !BASE.plusMillis(200).equals(first.position().updatedAt())) {
            emitted.addAll(first.next().orElseThrow().emit().stream().map(Row::record).toList());
        }
        ListingPosition saved = ListingPosition.fromCursor(first.position().toCursor());
        assertThat(saved).isEqualTo(first.position());
        // While the poller is down, records before the cursor in the tie group leave it (updated or deleted).
        List<Version> group = listing.versions().stream().filter(v -> v.updatedAt().equals(BASE.plusMillis(200))).toList();
        for (int i = 0; i < 120; i += 2) {
            listing.delete(group.get(i).id());
            listing.put(group.get(i + 1).id(), BASE.plusMillis(5000 + i));
        }

        ListingWalker<Version> resumed = walker(listing, Duration.ZERO, LATER);
        resumed.start(saved);
        emitted.addAll(walkPass(resumed));

        assertThat(emitted).doesNotHaveDuplicates().containsAll(listing.versions());
    }

    @Test
    void lateArrivalBehindTheCursorInsideTheRescanWindowIsEmittedOnce() {
        FakeListing listing = new FakeListing();
        for (int i = 0; i < 150; i++) {
            listing.put("m-%03d".formatted(i + 100), BASE.plusMillis(i < 120 ? 0 : 1));
        }
        AtomicReference<Instant> localNow = new AtomicReference<>(BASE.plusMillis(500));
        ListingWalker<Version> walker = walker(listing, Duration.ofSeconds(2), localNow::get);
        assertThat(walkPass(walker)).hasSize(150);

        listing.put("m-050", BASE.plusMillis(1));
        assertThat(walkPass(walker)).containsExactly(new Version("m-050", BASE.plusMillis(1)));
        assertThat(walkPass(walker)).isEmpty();
        assertThat(walker.position()).isEqualTo(new ListingPosition(BASE.plusMillis(1), "m-249", 31));

        // Once the position is older than the window, a pass resumes exactly at P and does not look back.
        localNow.set(BASE.plusSeconds(10));
        listing.put("m-051", BASE.plusMillis(1));
        int before = listing.requests().size();
        assertThat(walkPass(walker)).isEmpty();
        assertThat(listing.requests().subList(before, listing.requests().size()))
                .allSatisfy(request -> assertThat(request.updatedSince()).isEqualTo(BASE.plusMillis(1)));
    }

    @Test
    void restartInsideTheRescanWindowRepublishesTheWindowOnlyOnce() {
        FakeListing listing = new FakeListing();
        for (int i = 0; i < 10; i++) {
            listing.put("u-" + i, BASE.plusMillis(i * 100));
        }
        InstantSource clock = InstantSource.fixed(BASE.plusSeconds(1));
        ListingWalker<Version> first = walker(listing, Duration.ofSeconds(2), clock);
        walkPass(first);
        ListingWalker<Version> restarted = walker(listing, Duration.ofSeconds(2), clock);
        restarted.start(first.position());
        assertThat(walkPass(restarted)).hasSize(10);
        assertThat(walkPass(restarted)).isEmpty();
    }

    @Test
    void pageChoiceNeverExceedsTheMaximumAndAlwaysOverlapsThePosition() {
        for (int max : new int[] {20, 21, 37, 50, 99, 100}) {
            for (long n = 0; n < 20_000; n++) {
                PageRequest request = PageRequest.covering(new ListingPosition(BASE, n == 0 ? null : "x", n), max);
                assertThat(request.perPage()).isBetween(2, max);
                assertThat(request.updatedSince()).isEqualTo(BASE);
                if (n == 0) {
                    assertThat(request.page()).isEqualTo(1);
                    assertThat(request.perPage()).isEqualTo(max);
                } else {
                    assertThat(request.startOffset()).isLessThanOrEqualTo(n - 1);
                    long reach = (long) request.page() * request.perPage() - n;
                    assertThat(reach).as("new records reachable, max %d n %d", max, n).isGreaterThanOrEqualTo(1);
                    if (max == 100) {
                        assertThat(request.perPage()).isBetween(50, 100);
                        assertThat(reach).as("new records reachable, n %d", n).isGreaterThanOrEqualTo(49);
                    }
                }
            }
        }
        assertThat(PageRequest.covering(ListingPosition.START, 100)).isEqualTo(new PageRequest(null, 1, 100));
        assertThatThrownBy(() -> PageRequest.covering(ListingPosition.START, 19)).hasMessageContaining(">= 20");
    }

    @Test
    void everyRequestOfAMutatingWalkRespectsTheMaximumAndOverlap() {
        FakeListing listing = new FakeListing();
        Random random = new Random(11);
        for (int i = 0; i < 700; i++) {
            listing.put(randomId(random), BASE.plusMillis(i / 300));
        }
        ListingWalker<Version> walker = new ListingWalker<>(listing, 21, Duration.ZERO, LATER, 1000);
        assertThat(walkPass(walker)).containsExactlyElementsOf(listing.versions());
        assertThat(listing.requests()).allSatisfy(request -> assertThat(request.perPage()).isBetween(2, 21));
    }

    private static ListingWalker<Version> walker(FakeListing listing, Duration rescanWindow, InstantSource clock) {
        return new ListingWalker<>(listing, 100, rescanWindow, clock, 100_000);
    }

    private static List<Version> walkPass(ListingWalker<Version> walker) {
        List<Version> emitted = new ArrayList<>();
        Set<ListingPosition> positions = new HashSet<>();
        for (Optional<WalkStep<Version>> step = walker.next(); step.isPresent(); step = walker.next()) {
            step.get().emit().forEach(row -> emitted.add(row.record()));
            positions.add(step.get().position());
            assertThat(positions.size()).as("a pass makes progress").isLessThan(100_000);
        }
        return emitted;
    }

    private static String randomId(Random random) {
        return Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }
}
