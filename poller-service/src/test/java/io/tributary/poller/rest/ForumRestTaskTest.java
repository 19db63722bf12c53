package io.tributary.poller.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.mapping.ForumRecordNormalizer;
import io.tributary.model.ChangeEvent;
import io.tributary.model.Origin;
import io.tributary.model.spi.SourceBatch;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import io.tributary.poller.rest.pagination.Listing;
import io.tributary.poller.rest.pagination.ListingPage;
import io.tributary.poller.rest.pagination.ListingPosition;
import io.tributary.poller.rest.pagination.ListingWalker;
import io.tributary.poller.rest.pagination.Row;
import io.tributary.poller.rest.pagination.WalkRanges;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The task as the runtime drives it through the initial parallel walk (decision 0026) and after it. */
class ForumRestTaskTest {

    private static final SourcePartition USERS = new SourcePartition("forum", "users");
    private static final Instant BASE = Instant.parse("2026-10-01T00:00:00.000Z");
    private static final InstantSource CLOCK = InstantSource.fixed(BASE.plus(Duration.ofDays(60)));
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** 2,000 users over 30 days, sorted as the contract lists them; immutable, so safe for several ranges. */
    private final List<Row<JsonNode>> users = users(2000);
    private final Listing<JsonNode> listing = request -> {
        List<Row<JsonNode>> from = users.stream()
                .filter(row -> request.updatedSince() == null || !row.updatedAt().isBefore(request.updatedSince()))
                .toList();
        int start = (int) Math.min(request.startOffset(), from.size());
        int end = Math.min(start + request.perPage(), from.size());
        return new ListingPage<>(from.subList(start, end), end < from.size());
    };

    @Test
    void theInitialWalkPublishesEveryRecordOnceWithRangedCursorsThenHandsOverToThePlainCursor() throws Exception {
        ForumRestTask task = task();
        task.start(USERS, Optional.empty());

        List<SourceBatch> batches = pollUntilCaughtUp(task);

        assertThat(ids(batches)).doesNotHaveDuplicates().hasSize(2000);
        SourceBatch last = batches.get(batches.size() - 1);
        assertThat(last.cursor()).isEqualTo(newest().toCursor());
        assertThat(batches.subList(0, batches.size() - 1)).allSatisfy(batch ->
                assertThat(WalkRanges.isRanged(batch.cursor()) || batch.cursor().equals(newest().toCursor())).isTrue());
        assertThat(batches).anySatisfy(batch -> assertThat(WalkRanges.isRanged(batch.cursor())).isTrue());
        // pages are joined until the batch holds batch-records (250) or more: at most one page (100) beyond it
        assertThat(batches).allSatisfy(batch -> assertThat(batch.events()).hasSizeLessThan(250 + 100));
        task.stop();
    }

    @Test
    void aRestartFromARangedCursorResumesWithoutRepeatingOrSkipping() throws Exception {
        ForumRestTask first = task();
        first.start(USERS, Optional.empty());
        List<SourceBatch> before = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(first.poll().orElseThrow());
        }
        SourceCursor committed = before.get(before.size() - 1).cursor();
        assertThat(WalkRanges.isRanged(committed)).isTrue();
        first.poll(); // published, but the process dies before its cursor is committed
        first.stop();

        ForumRestTask second = task();
        second.start(USERS, Optional.of(committed));
        List<SourceBatch> after = pollUntilCaughtUp(second);

        List<String> all = ids(before);
        all.addAll(ids(after));
        assertThat(all).doesNotHaveDuplicates().hasSize(2000);
        assertThat(after.get(after.size() - 1).cursor()).isEqualTo(newest().toCursor());

        ForumRestTask third = task(); // a later start from the plain cursor is an ordinary incremental pass
        third.start(USERS, Optional.of(newest().toCursor()));
        assertThat(ids(pollUntilCaughtUp(third))).isEmpty();
    }

    private ForumRestTask task() {
        ForumRestProperties.InitialWalk initialWalk = new ForumRestProperties.InitialWalk(8, 3, 250);
        return new ForumRestTask(USERS, listing,
                () -> new ListingWalker<>(listing, 100, Duration.ofSeconds(2), CLOCK, 1000), initialWalk, 100, CLOCK,
                new ForumRecordNormalizer(USERS.sourceId(), USERS.entity(), Origin.POLL, CLOCK),
                Counter.builder("rejected").register(new SimpleMeterRegistry()));
    }

    private static List<SourceBatch> pollUntilCaughtUp(ForumRestTask task) throws InterruptedException {
        List<SourceBatch> batches = new ArrayList<>();
        for (Optional<SourceBatch> batch = task.poll(); batch.isPresent(); batch = task.poll()) {
            batches.add(batch.get());
            assertThat(batches).as("the walk ends").hasSizeLessThan(1000);
        }
        return batches;
    }

    private static List<String> ids(List<SourceBatch> batches) {
        List<String> ids = new ArrayList<>();
        for (SourceBatch batch : batches) {
            for (ChangeEvent event : batch.events()) {
                ids.add(event.key().externalId());
            }
        }
        return ids;
    }

    private ListingPosition newest() {
        Row<JsonNode> last = users.get(users.size() - 1);
        long passed = users.stream().filter(row -> row.updatedAt().equals(last.updatedAt())).count();
        return new ListingPosition(last.updatedAt(), last.id(), passed);
    }

    private static List<Row<JsonNode>> users(int count) {
        List<Row<JsonNode>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // every 10th pair shares an updated_at; ids sort with their index
            Instant updatedAt = BASE.plusSeconds((long) (i - i % 2 * (i % 10 == 1 ? 1 : 0)) * 1296);
            String id = String.format("u%05d", i);
            ObjectNode user = MAPPER.createObjectNode()
                    .put("id", id).put("name", "User " + i).put("email", "u" + i + "@example.com")
                    .put("created_at", ListingPosition.format(BASE)).put("updated_at", ListingPosition.format(updatedAt));
            rows.add(new Row<>(id, updatedAt, user));
        }
        return rows;
    }
}
