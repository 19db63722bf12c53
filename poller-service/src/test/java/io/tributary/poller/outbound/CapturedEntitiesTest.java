package io.tributary.poller.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.status.PollerStatus;
import io.tributary.poller.status.SourceActivity;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CapturedEntitiesTest {

    private final SourceActivity activity = new SourceActivity(() -> Instant.parse("2026-12-01T10:00:00Z"));
    private final AtomicInteger changes = new AtomicInteger();

    @Test
    void theConfiguredEntitiesAndThoseOfTwoWayDefinitionsAreCaptured() {
        CapturedEntities captured = new CapturedEntities(List.of("music_items"), true, activity);
        captured.onChange(changes::incrementAndGet);
        assertThat(captured.isLoaded()).as("definitions not read yet").isFalse();

        captured.stored("acme/shop", "shop", Set.of("orders", "customers"));
        captured.stored("acme/crm", "crm", Set.of("customers"));
        assertThat(captured.entities()).containsExactly("customers", "music_items", "orders");
        captured.loaded();
        captured.loaded();
        assertThat(captured.isLoaded()).isTrue();
        assertThat(changes).as("one change of the set (crm's table was in it already), one first load").hasValue(2);

        captured.stored("acme/shop", "shop", Set.of("orders", "customers")); // same again: no change
        assertThat(changes).hasValue(2);
        captured.removed("acme/shop");
        assertThat(captured.entities()).as("customers stays: crm still delivers it")
                .containsExactly("customers", "music_items");
        captured.removed("acme/crm");
        captured.removed("acme/unknown");
        assertThat(captured.entities()).containsExactly("music_items");
        assertThat(changes).hasValue(4);
    }

    @Test
    void withoutTheConfigTopicTheConfiguredSetIsCompleteFromTheStart() {
        assertThat(new CapturedEntities(List.of("music_items"), false, activity).isLoaded()).isTrue();
    }

    @Test
    void eachTwoWaySourceSaysWhatIsCapturedAndWhatIsWaitedFor() {
        activity.register(new SourcePartition("shop", "orders"), "rest");
        CapturedEntities captured = new CapturedEntities(List.of(), true, activity);
        captured.stored("acme/shop", "shop", Set.of("orders", "refunds"));
        assertThat(note("shop")).isEqualTo("captured: [orders, refunds]");

        captured.waiting("refunds", "no table public.refunds yet (the writer creates it)");
        assertThat(note("shop")).isEqualTo("waiting: refunds: no table public.refunds yet (the writer creates it);"
                + " captured: [orders]");
        captured.waiting("refunds", null);
        assertThat(note("shop")).isEqualTo("captured: [orders, refunds]");

        captured.removed("acme/shop");
        assertThat(note("shop")).as("one-way again: nothing to say").isNull();
    }

    private String note(String sourceId) {
        return activity.snapshot().sources().stream().filter(source -> source.id().equals(sourceId))
                .findFirst().map(PollerStatus.SourceStatus::capture).orElse(null);
    }
}
