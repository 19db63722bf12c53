package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two-way suites' shared pipeline (one per test class: each test works on items of its own, and ends with
 * both sides equal) and the checks they share: that nothing comes back after a change, and that both sides hold
 * the same items.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractTwoWayIT {

    static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    TwoWayPipeline pipeline;
    TwoWayRows rows;
    private final HttpClient http = HttpClient.newHttpClient();

    /** The main database, created in {@code dir} or on the machine's PostgreSQL. */
    protected abstract TwoWayDatabase database(Path dir);

    /** The two-way sources this suite works on. */
    protected abstract List<TwoWayPipeline.Source> sources();

    @BeforeAll
    void startPipeline(@TempDir Path dir) throws Exception {
        TwoWayDatabase database = database(dir);
        rows = new TwoWayRows(database.jdbcUrl());
        pipeline = new TwoWayPipeline(EmbeddedKafkaCondition.getBroker().getBrokersAsString(), dir, database, sources());
    }

    @AfterAll
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** A failed test leaves no outage behind for the next. */
    @AfterEach
    void endOutages() {
        sources().forEach(source -> pipeline.side(source.id()).endOutage());
    }

    /** Someone at the source adds an item; returns its row once the poller brought it in. */
    long itemFromTheSource(MusicFarSide music, String name) {
        String id = music.create(name);
        return await(name + " arrives from the source").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> rows.rowOf(music.sourceId(), id), Objects::nonNull);
    }

    /** The application adds a row; returns it once its create reached the source and the external id is stored. */
    long rowDeliveredToTheSource(MusicFarSide music, String name) {
        long row = rows.insert(music.sourceId(), name);
        await(name + " is created at the source").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> rows.externalId(row) != null);
        return row;
    }

    /**
     * The echo check: once our change was written back (the row holds the version the source gave it, unless the
     * row is deleted), the poller reads the record again and the writer applies what it read; then the row must be
     * exactly as the write-back left it (the version guard refused the echo), the capture must have published
     * nothing, and the pipeline must have made no further call that changes the source.
     */
    void assertNothingComesBack(MusicFarSide music, long row, String what) {
        String externalId = Objects.requireNonNull(rows.externalId(row), "external id of row " + row);
        if (!rows.state(row).deleted()) {
            await(what + ": the version the source gave it is stored on the row").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Objects.equals(music.version(externalId), rows.state(row).sourceVersion()));
        }
        TwoWayRows.State written = rows.state(row);
        double captured = pipeline.captured();
        double published = pipeline.published(music.sourceId());
        MusicFarSide.Stats calls = music.stats();

        pipeline.awaitPollsApplied(music.sourceId());

        if (!written.deleted()) {
            assertThat(pipeline.published(music.sourceId())).as("%s: the passes brought the record in again", what)
                    .isGreaterThan(published);
        }
        assertThat(rows.state(row)).as("%s: the echo polled back did not rewrite the row", what).isEqualTo(written);
        assertThat(pipeline.captured()).as("%s: nothing more captured", what).isEqualTo(captured);
        assertThat(music.stats().writeCalls()).as("%s: no further call to the source", what).isEqualTo(calls.writeCalls());
    }

    /** Both sides hold the same items: every live row with an external id is an item of that name, and no more. */
    void awaitBothSidesEqual(MusicFarSide music) {
        await("both sides of " + music.sourceId() + " hold the same items").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(rows.live(music.sourceId())).isEqualTo(music.names()));
        assertThat(rows.unsent(music.sourceId())).as("no row left without its item").isEmpty();
    }

    /** The product's own check (decision 0017): {@code GET /verify} of the source finds no drift. */
    JsonNode verify(String sourceId) {
        return JSON.readTree(post("GET", pipeline.pollerUrl() + "/verify?source=" + sourceId).body());
    }

    /** Runs reconciliation of every source now (deletes at the source are found by it). */
    void reconcile() {
        assertThat(post("POST", pipeline.pollerUrl() + "/reconcile").statusCode()).isEqualTo(200);
    }

    static void awaitClockPasses(Instant instant) {
        await("the clock passes " + instant).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> Instant.now().isAfter(instant));
    }

    private HttpResponse<String> post(String method, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
