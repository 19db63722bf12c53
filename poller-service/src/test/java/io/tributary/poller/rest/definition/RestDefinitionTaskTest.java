package io.tributary.poller.rest.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.model.ChangeEvent;
import io.tributary.model.Origin;
import io.tributary.model.spi.SourceBatch;
import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import io.tributary.poller.status.PollerStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code rest} kind's task against differently paged fake APIs: every record arrives, mapped (nested
 * paths, arrays of objects), whatever the paging; a later pass asks only for what changed since the committed
 * high-water version; a record that cannot be mapped is dead-lettered with its field and reason while the
 * others are published.
 */
class RestDefinitionTaskTest {

    private static final SourcePartition ALBUMS = new SourcePartition("albums-api", "albums");

    @TempDir
    Path dir;
    private final TestSources sources = new TestSources();

    @AfterEach
    void close() {
        sources.close();
    }

    static Stream<Arguments> pagings() {
        return Stream.of(
                Arguments.of("page-number", "{type: page-number, pageParam: page, sizeParam: per_page, size: 10}",
                        "{path: data, hasMore: meta.has_more}"),
                Arguments.of("offset-limit", "{type: offset-limit, offsetParam: offset, limitParam: limit, limit: 25}",
                        "{path: $}"),
                Arguments.of("cursor-body", "{type: cursor, from: body, cursorParam: cursor, cursorPath: paging.next, sizeParam: size, size: 9}",
                        "{path: items}"),
                Arguments.of("cursor-header", "{type: cursor, from: header, cursorParam: cursor, cursorHeader: X-Next-Cursor, sizeParam: size, size: 11}",
                        "{path: items}"),
                Arguments.of("link-header", "{type: link-header, sizeParam: _limit, size: 8}", "{path: $}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pagings")
    void everyRecordArrivesMappedThenOnlyChangesAreAskedFor(String paging, String pagination, String records) throws Exception {
        Albums albums = new Albums(57, paging.hashCode());
        try (FakeApi api = new FakeApi()) {
            api.route("/albums", switch (paging) {
                case "page-number" -> albums.pageNumber();
                case "offset-limit" -> albums.offsetLimit();
                case "cursor-body" -> albums.cursor(false);
                case "cursor-header" -> albums.cursor(true);
                default -> albums.linkHeader(api.url());
            });
            SourceTask task = task(TestSources.albums(api.url(), "{type: none}", pagination, records));
            task.start(ALBUMS, Optional.empty());

            List<SourceBatch> first = TestSources.pass(task);
            Map<String, ChangeEvent> events = latest(first);
            assertThat(events.keySet()).containsExactlyElementsOf(albums.ids());
            assertThat(first.size()).as("pages").isGreaterThan(2);
            ChangeEvent one = events.get("al-1003");
            Map<String, Object> source = albums.get("al-1003");
            assertThat(one.origin()).isEqualTo(Origin.POLL);
            assertThat(one.sourceVersion()).isEqualTo(source.get("updatedAt"));
            assertThat(one.payload()).containsEntry("title", "Title of al-1003")
                    .containsEntry("artist", ((Map<?, ?>) source.get("artist")).get("name"))
                    .containsEntry("country", "FR");
            assertThat((List<?>) one.payload().get("tracks")).hasSize(((List<?>) source.get("tracks")).size())
                    .first().isEqualTo(Map.of("title", "Track 0", "seconds", 100L));
            // intermediate pages restart the same pass; only the last one moves the high-water mark
            assertThat(first.subList(0, first.size() - 1)).allSatisfy(batch -> assertThat(batch.cursor().fields()).isEmpty());
            assertThat(first.get(first.size() - 1).cursor().fields())
                    .containsEntry(RestDefinitionTask.SINCE, Long.toString(albums.maxVersion()));
            assertThat(api.requests("/albums")).allSatisfy(request ->
                    assertThat(request.query()).doesNotContainKey("updated_since"));

            // a change, then the next pass asks from the high-water version and sees it
            long highWater = albums.maxVersion();
            Map<String, Object> changed = new LinkedHashMap<>(albums.get("al-1010"));
            changed.put("title", "Renamed");
            changed.put("updatedAt", highWater + 5_000);
            albums.put(changed);
            int before = api.requests("/albums").size();
            Map<String, ChangeEvent> second = latest(TestSources.pass(task));
            assertThat(second).containsKey("al-1010");
            assertThat(second.get("al-1010").payload()).containsEntry("title", "Renamed");
            assertThat(second.get("al-1010").sourceVersion()).isEqualTo(highWater + 5_000);
            assertThat(second.keySet()).allSatisfy(id -> assertThat((Long) albums.get(id).get("updatedAt")).isGreaterThanOrEqualTo(highWater));
            assertThat(api.requests("/albums").subList(before, api.requests("/albums").size())).allSatisfy(request ->
                    assertThat(request.query()).containsEntry("updated_since", Long.toString(highWater)));
        }
    }

    @Test
    void anEmptyListingCompletesItsPassWithoutAHighWaterMark() throws Exception {
        Albums albums = new Albums(0, 3);
        try (FakeApi api = new FakeApi()) {
            api.route("/albums", albums.pageNumber());
            SourceTask task = task(TestSources.albums(api.url(), "{type: none}",
                    "{type: page-number, size: 10}", "{path: data, hasMore: meta.has_more}"));
            task.start(ALBUMS, Optional.empty());

            List<SourceBatch> pass = TestSources.pass(task); // threw a NullPointerException before the fix

            assertThat(latest(pass)).isEmpty();
            assertThat(pass.get(pass.size() - 1).cursor().fields()).isEmpty();
        }
    }

    @Test
    void aRecordThatCannotBeMappedIsDeadLetteredAndTheOthersArePublished() throws Exception {
        Albums albums = new Albums(30, 7);
        Map<String, Object> broken = Albums.album("al-1005", Albums.BASE, new Random(1));
        broken.put("tracks", List.of(Map.of("name", "ok"), Map.of("length", Map.of("s", 3)))); // second track has no name
        albums.put(broken);
        try (FakeApi api = new FakeApi()) {
            api.route("/albums", albums.pageNumber());
            SourceTask task = task(TestSources.albums(api.url(), "{type: none}",
                    "{type: page-number, size: 10}", "{path: data, hasMore: meta.has_more}"));
            sources.activity.register(ALBUMS, "rest", "test-org");
            task.start(ALBUMS, Optional.empty());

            Map<String, ChangeEvent> events = latest(TestSources.pass(task));

            assertThat(events).hasSize(29).doesNotContainKey("al-1005");
            List<ProducerRecord<String, String>> dead = sources.deadLetters();
            assertThat(dead).hasSize(1);
            ProducerRecord<String, String> letter = dead.get(0);
            assertThat(letter.topic()).isEqualTo("tributary.changes.albums.dlt");
            assertThat(letter.value()).contains("\"id\":\"al-1005\"");
            assertThat(header(letter, DeadLetters.FIELD_PATH)).isEqualTo("tracks[1].title");
            assertThat(header(letter, DeadLetters.REASON)).contains("name");
            assertThat(header(letter, "kafka_dlt-exception-message")).startsWith("field 'tracks[1].title'");
            assertThat(header(letter, "kafka_dlt-original-topic")).isEqualTo("tributary.changes.albums");
            assertThat(sources.registry.get("tributary.poller.records.rejected").tags("source", "albums-api", "entity", "albums")
                    .counter().count()).isEqualTo(1.0);
            // the source's status: counted, with the target field and the reason, without the record's values
            PollerStatus.SourceStatus status = sources.activity.snapshot().sources().get(0);
            assertThat(status.entities().get("albums").recordsRejected()).isEqualTo(1);
            assertThat(status.rejections()).singleElement().satisfies(rejection -> {
                assertThat(rejection.entity()).isEqualTo("albums");
                assertThat(rejection.fieldPath()).isEqualTo("tracks[1].title");
                assertThat(rejection.reason()).isEqualTo("(from 'name') is required but missing or null");
            });

            // re-read unchanged by the next pass (the filter is inclusive of its version): not dead-lettered again
            latest(TestSources.pass(task));
            assertThat(sources.deadLetters()).hasSize(1);
            assertThat(sources.activity.snapshot().sources().get(0).entities().get("albums").recordsRejected()).isEqualTo(1);
            // changed but still broken: dead-lettered again
            broken.put("title", "Changed");
            broken.put("updatedAt", albums.maxVersion() + 1);
            albums.put(broken);
            latest(TestSources.pass(task));
            assertThat(sources.deadLetters()).hasSize(2);
            assertThat(sources.activity.snapshot().sources().get(0).entities().get("albums").recordsRejected()).isEqualTo(2);
        }
    }

    @Test
    void aRecordWhoseDeadLetterFailedIsDeadLetteredByTheRetriedPass() throws Exception {
        Albums albums = new Albums(30, 7);
        Map<String, Object> broken = Albums.album("al-1005", Albums.BASE, new Random(1));
        broken.put("tracks", List.of(Map.of("length", Map.of("s", 3)))); // the track has no name
        albums.put(broken);
        try (FakeApi api = new FakeApi()) {
            api.route("/albums", albums.pageNumber());
            SourceTask task = task(TestSources.albums(api.url(), "{type: none}",
                    "{type: page-number, size: 10}", "{path: data, hasMore: meta.has_more}"));
            sources.activity.register(ALBUMS, "rest", "test-org");
            sources.deadLetterFailures.set(1);
            task.start(ALBUMS, Optional.empty());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestSources.pass(task))
                    .hasStackTraceContaining("Kafka unreachable");
            assertThat(sources.deadLetters()).isEmpty();

            // the worker restarts the pass from the committed cursor (none): the record was never dead-lettered,
            // so it is now, and counted once (before the fix it was skipped as already dead-lettered)
            task.start(ALBUMS, Optional.empty());
            assertThat(latest(TestSources.pass(task))).hasSize(29).doesNotContainKey("al-1005");
            assertThat(sources.deadLetters()).singleElement()
                    .satisfies(letter -> assertThat(letter.value()).contains("\"id\":\"al-1005\""));
            assertThat(sources.activity.snapshot().sources().get(0).entities().get("albums").recordsRejected()).isEqualTo(1);
        }
    }

    @Test
    void transientFailuresAreRetriedWithRetryAfterAndThePassCompletes() throws Exception {
        Albums albums = new Albums(20, 3);
        List<Integer> failures = new ArrayList<>(List.of(503, 429, 500));
        try (FakeApi api = new FakeApi()) {
            api.route("/albums", request -> {
                synchronized (failures) {
                    if (!failures.isEmpty()) {
                        int status = failures.remove(0);
                        return new FakeApi.Response(status, status == 429 ? Map.of("Retry-After", "0") : Map.of(), "busy");
                    }
                }
                return albums.pageNumber().apply(request);
            });
            SourceTask task = task(TestSources.albums(api.url(), "{type: none}",
                    "{type: page-number, size: 10}", "{path: data, hasMore: meta.has_more}"));
            task.start(ALBUMS, Optional.empty());

            assertThat(latest(TestSources.pass(task)).keySet()).containsExactlyElementsOf(albums.ids());
            assertThat(sources.registry.get("tributary.poller.requests").tag("status", "5xx").counter().count()).isEqualTo(2.0);
            assertThat(sources.registry.get("tributary.poller.requests").tag("status", "429").counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void theRateLimitSpacesRequests() throws Exception {
        Albums albums = new Albums(57, 13);
        try (FakeApi api = new FakeApi()) {
            api.route("/albums", albums.pageNumber());
            SourceTask task = task(TestSources.albums(api.url(), "{type: none}",
                    "{type: page-number, size: 10}", "{path: data, hasMore: meta.has_more}")
                    .replace("retry:", "rateLimit: {requestsPerSecond: 5, burst: 1}\nretry:"));
            task.start(ALBUMS, Optional.empty());
            long begin = System.nanoTime();
            assertThat(latest(TestSources.pass(task))).hasSize(57);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - begin);
            // burst 1 at 5/s: the 6th request is sent no earlier than 5 x 200 ms after the first token was taken
            // (arrival times would be noisier: a request that opens a connection arrives late)
            assertThat(api.requests("/albums")).hasSize(6);
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        }
    }

    @Test
    void aPermanentStatusFailsThePassNamingTheRequest() throws Exception {
        try (FakeApi api = new FakeApi()) {
            api.route("/albums", request -> FakeApi.Response.status(403));
            SourceTask task = task(TestSources.albums(api.url(), "{type: none}",
                    "{type: page-number, size: 10}", "{path: data, hasMore: meta.has_more}"));
            task.start(ALBUMS, Optional.empty());
            org.assertj.core.api.Assertions.assertThatThrownBy(task::poll)
                    .hasMessageContaining("GET " + api.url() + "/albums?page=1&per_page=10 answered 403");
            assertThat(api.requests("/albums")).hasSize(1);
        }
    }

    private SourceTask task(String yaml) {
        RestSourceProperties properties = TestSources.properties(TestSources.write(dir, "albums.yaml", yaml));
        assertThat(sources.kind.entities("albums-api", properties, List.of())).containsExactly("albums");
        return sources.kind.createTask(ALBUMS, properties);
    }

    private static Map<String, ChangeEvent> latest(List<SourceBatch> batches) {
        Map<String, ChangeEvent> latest = new TreeMap<>();
        batches.forEach(batch -> batch.events().forEach(event -> latest.put(event.key().externalId(), event)));
        return latest;
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
