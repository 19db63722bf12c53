package io.tributary.simulator.music;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MusicInventoryTest {

    private final MusicInventory inventory = new MusicInventory(Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void aRepeatedIdempotencyKeyAnswersTheFirstItemWithoutCreatingAnother() {
        MusicItem first = inventory.create("change-1", "Song", "Artist", "Album");
        MusicItem again = inventory.create("change-1", "Song", "Artist", "Album");
        MusicItem other = inventory.create("change-2", "Song", "Artist", "Album");

        assertThat(again).isEqualTo(first);
        assertThat(other.id()).isNotEqualTo(first.id());
        assertThat(inventory.counts()).isEqualTo(new MusicInventory.Counts(2, 0, 0, 1));
    }

    @Test
    void everyChangeStampsALaterUpdatedAtEvenWithinOneMillisecond() {
        MusicItem created = inventory.create(null, "Song", null, null);
        MusicItem replaced = inventory.replace(created.id(), "Song 2", "A", "B").orElseThrow();

        assertThat(replaced.updatedAt()).isAfter(created.updatedAt());
        assertThat(inventory.get(created.id())).contains(replaced);
        assertThat(inventory.replace("mu-404", "x", null, null)).isEmpty();
        assertThat(inventory.delete(created.id())).isTrue();
        assertThat(inventory.delete(created.id())).isFalse();
        assertThat(inventory.counts()).isEqualTo(new MusicInventory.Counts(1, 1, 1, 0));
    }

    @Test
    void listsPageByOffsetAndLimit() {
        for (int i = 0; i < 5; i++) {
            inventory.create(null, "Song " + i, null, null);
        }
        assertThat(inventory.list(0, 2)).extracting(MusicItem::name).containsExactly("Song 0", "Song 1");
        assertThat(inventory.list(4, 2)).extracting(MusicItem::name).containsExactly("Song 4");
        assertThat(inventory.list(9, 2)).isEmpty();
    }
}
