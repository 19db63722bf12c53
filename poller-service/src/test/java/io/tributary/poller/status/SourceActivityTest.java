package io.tributary.poller.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.model.spi.SourcePartition;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SourceActivityTest {

    private static final SourcePartition USERS = new SourcePartition("forum-sim", "users");
    private static final SourcePartition MESSAGES = new SourcePartition("forum-sim", "messages");

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-22T07:00:00Z"));
    private final SourceActivity activity = new SourceActivity(now::get);

    @Test
    void totalsCursorAndLastPollPerEntity() {
        activity.register(USERS, "forum-rest");
        activity.register(MESSAGES, "forum-rest");
        activity.passSucceeded(USERS, Map.of("last_id", "u-2", "updated_at", "2026-01-01T00:00:00Z"), 40, 2);
        now.set(now.get().plusSeconds(5));
        activity.passSucceeded(USERS, Map.of("last_id", "u-3", "updated_at", "2026-01-02T00:00:00Z"), 1, 1);

        PollerStatus.SourceStatus source = activity.snapshot().sources().get(0);
        assertThat(source.id()).isEqualTo("forum-sim");
        assertThat(source.kind()).isEqualTo("forum-rest");
        assertThat(source.entities()).containsOnlyKeys("users", "messages");
        PollerStatus.EntityStatus users = source.entities().get("users");
        assertThat(users.cursor()).containsEntry("last_id", "u-3");
        assertThat(users.recordsPublished()).isEqualTo(41);
        assertThat(users.pages()).isEqualTo(3);
        assertThat(users.passes()).isEqualTo(2);
        assertThat(users.failedPasses()).isZero();
        assertThat(users.lastPollAt()).isEqualTo(Instant.parse("2026-11-22T07:00:05Z"));
        assertThat(users.lastErrorAt()).isNull();
        PollerStatus.EntityStatus messages = source.entities().get("messages");
        assertThat(messages.cursor()).isNull();
        assertThat(messages.lastPollAt()).isNull();
    }

    @Test
    void keepsTheLastErrorsNewestFirstAndBounded() {
        activity.register(USERS, "forum-rest");
        for (int i = 1; i <= SourceActivity.MAX_ERRORS + 5; i++) {
            now.set(now.get().plusSeconds(1));
            activity.passFailed(USERS, null, 0, 0, "failure " + i);
        }
        PollerStatus.SourceStatus source = activity.snapshot().sources().get(0);
        assertThat(source.errors()).hasSize(SourceActivity.MAX_ERRORS);
        assertThat(source.errors().get(0).message()).isEqualTo("failure " + (SourceActivity.MAX_ERRORS + 5));
        assertThat(source.errors().get(0).entity()).isEqualTo("users");
        assertThat(source.errors().get(SourceActivity.MAX_ERRORS - 1).message()).isEqualTo("failure 6");
        assertThat(source.entities().get("users").failedPasses()).isEqualTo(SourceActivity.MAX_ERRORS + 5);
        assertThat(source.entities().get("users").lastErrorAt()).isEqualTo(now.get());
    }

    @Test
    void liveSourcesCarryTheirOrganizationAndRefusalsAreListedUntilAccepted() {
        activity.register(USERS, "forum-rest");
        activity.register(new SourcePartition("music", "music_items"), "rest", "acme");
        activity.refused("other/music", "other", "music", "source id 'music' already runs for another organization's definition");
        activity.refused("other/music", "other", "music", "a newer reason");
        activity.refused("acme/broken", "acme", "broken", "definition refused: $.kind: ...");

        PollerStatus status = activity.snapshot();
        assertThat(status.sources()).extracting(PollerStatus.SourceStatus::organization).containsExactly(null, "acme");
        assertThat(status.refused()).extracting(PollerStatus.Refusal::key).containsExactly("acme/broken", "other/music");
        assertThat(status.refused().get(1).reason()).isEqualTo("a newer reason");
        assertThat(status.refused().get(1).at()).isEqualTo(now.get());
        assertThat(activity.refusedCount()).isEqualTo(2);
        activity.accepted("other/music");
        assertThat(activity.snapshot().refused()).extracting(PollerStatus.Refusal::key).containsExactly("acme/broken");
        assertThat(activity.refusedCount()).isEqualTo(1);
    }

    @Test
    void aPartitionThatCouldNotStartShowsTheErrorWithoutAPass() {
        activity.register(USERS, "rest");
        activity.notStarted(USERS, "change topics not created");
        PollerStatus.SourceStatus source = activity.snapshot().sources().get(0);
        assertThat(source.errors()).extracting(PollerStatus.Error::message).containsExactly("change topics not created");
        assertThat(source.entities().get("users").passes()).isZero();
        assertThat(source.entities().get("users").failedPasses()).isZero();
        assertThat(source.entities().get("users").lastErrorAt()).isEqualTo(now.get());
        assertThat(source.capture()).as("one-way").isNull();
        activity.capture("forum-sim", "captured: [users]");
        assertThat(activity.snapshot().sources().get(0).capture()).isEqualTo("captured: [users]");
    }

    @Test
    void rejectedRecordsAreCountedPerEntityAndTheLastOnesKeptNewestFirst() {
        activity.register(USERS, "rest", "acme");
        activity.register(MESSAGES, "rest", "acme");
        for (int i = 1; i <= SourceActivity.MAX_REJECTIONS + 3; i++) {
            now.set(now.get().plusSeconds(1));
            activity.rejected(i % 2 == 0 ? USERS : MESSAGES, "field" + i, "(from 'f') expected integer, got string");
        }
        PollerStatus status = activity.snapshot();
        PollerStatus.SourceStatus source = status.sources().get(0);
        assertThat(source.entities().get("users").recordsRejected()).isEqualTo(6);
        assertThat(source.entities().get("messages").recordsRejected()).isEqualTo(7);
        assertThat(source.entities().get("messages").lastRejectedAt()).isEqualTo(now.get());
        assertThat(source.rejections()).hasSize(SourceActivity.MAX_REJECTIONS);
        assertThat(source.rejections().get(0)).isEqualTo(new PollerStatus.Rejection(now.get(), "messages",
                "field" + (SourceActivity.MAX_REJECTIONS + 3), "(from 'f') expected integer, got string"));
        assertThat(source.rejections().get(SourceActivity.MAX_REJECTIONS - 1).fieldPath()).isEqualTo("field4");
        assertThat(source.errors()).as("a rejected record is no failed pass").isEmpty();
        assertThat(status.startedAt()).isEqualTo(Instant.parse("2026-11-22T07:00:00Z"));

        activity.forget("forum-sim");
        activity.rejected(USERS, "f", "reason"); // the source's last pass ends after its delete: not a failure
        assertThat(activity.snapshot().sources()).isEmpty();
    }

    @Test
    void anUnregisteredPartitionIsAProgrammingError() {
        assertThatThrownBy(() -> activity.passSucceeded(USERS, null, 0, 0)).isInstanceOf(IllegalStateException.class);
    }
}
