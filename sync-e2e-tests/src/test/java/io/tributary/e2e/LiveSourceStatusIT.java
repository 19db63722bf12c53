package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the services refused of a source shows in its status through the admin API (issue 5), with the real poller
 * and writer: a record the mapping refuses is counted beside the published ones with its field path and a reason that
 * does not quote the record's value; a definition the admin API stores (201) but whose target column conflicts with
 * the writer's catalog shows the writer's refusal of that entity, with the reason and since when, and the events the
 * writer then dead-letters; neither shows in the other source's status.
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class LiveSourceStatusIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Stands for personal data in a record: never in a status. */
    private static final String PERSONAL = "ada@example.org";

    @TempDir
    Path dir;

    @Test
    void theMappingsAndTheWritersRefusalsShowInTheSourcesStatus(EmbeddedKafkaBroker broker) throws Exception {
        List<Map<String, Object>> music = List.of(
                Map.of("id", "m-1", "name", "One", "updatedAt", "2026-12-07T08:00:00Z"),
                Map.of("id", "m-2", "name", "Two", "updatedAt", "2026-12-07T08:00:00Z"),
                Map.of("id", "m-3", "name", "Three", "updatedAt", PERSONAL));
        List<Map<String, Object>> numbered = List.of(Map.of("id", "n-1", "number", 7, "updatedAt", "2026-12-07T08:00:00Z"));
        try (FakeJsonApi api = FakeJsonApi.start().serve("/music", () -> music).serve("/numbers", () -> numbered);
             LivePipeline live = LivePipeline.start(broker, dir, "acme-records")) {
            HttpResponse<String> put = live.put("catalog", MusicSourceYaml.of("catalog", api.port(), "200ms", "{path: /music}", ""));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            await("the records that map are synced").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(MainDbRows.names(live.database(), "music_items", "catalog"))
                            .isEqualTo(Map.of("m-1", "One", "m-2", "Two")));

            JsonNode catalog = await("the refused record is counted").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> status(live, "catalog"),
                            status -> status.at("/poller/entities/music_items/recordsRejected").asLong() == 1);
            assertThat(catalog.get("state").asString()).isEqualTo("running");
            assertThat(catalog.at("/poller/entities/music_items/recordsPublished").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(catalog.at("/poller/rejections")).singleElement().satisfies(rejection -> {
                assertThat(rejection.get("entity").asString()).isEqualTo("music_items");
                assertThat(rejection.get("fieldPath").asString()).isEqualTo("$version");
                assertThat(rejection.get("reason").asString()).isEqualTo("'updatedAt' is not a version in format"
                        + " 'iso-instant': date: a string that matches none of the formats [iso-instant]");
            });
            assertThat(catalog.toString()).as("no record value in a status").doesNotContain(PERSONAL);
            assertThat(catalog.at("/writer/reachable").asBoolean()).isTrue();
            assertThat(catalog.at("/writer/refused")).as("the writer took it all").isEmpty();

            // stored by the admin API, but its column 'name' is an integer where the writer's catalog has text
            put = live.put("numbers", numbers(api.port()));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            JsonNode numbers = await("the writer's refusal shows").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> status(live, "numbers"), status -> !status.at("/writer/refused").isEmpty()
                            && status.at("/writer/deadLettered/music_items/deadLettered").asLong() >= 1);
            assertThat(numbers.at("/writer/refused")).singleElement().satisfies(refusal -> {
                assertThat(refusal.get("entity").asString()).isEqualTo("music_items");
                assertThat(refusal.get("reason").asString())
                        .startsWith("column 'name' is text in the writer's catalog but integer in this definition");
                assertThat(refusal.get("since").asString()).isNotBlank();
                assertThat(refusal.get("organization").asString()).isEqualTo("acme-records");
            });
            assertThat(numbers.get("state").asString()).as("the poller runs it: its events wait for a fix").isEqualTo("running");
            assertThat(MainDbRows.names(live.database(), "music_items", "numbers")).isEmpty();

            JsonNode catalogAgain = status(live, "catalog");
            assertThat(catalogAgain.at("/writer/reachable").asBoolean()).as("the writer answered").isTrue();
            assertThat(catalogAgain.at("/writer/refused")).as("not the other source's refusal").isEmpty();
            assertThat(catalogAgain.at("/writer/deadLettered").isNull()).as("nor its dead letters").isTrue();
        }
    }

    private static JsonNode status(LivePipeline live, String source) throws Exception {
        HttpResponse<String> response = live.call("GET", live.source(source) + "/status", null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Records whose {@code name} is a number, into the same table: a column type the writer's catalog refuses. */
    private static String numbers(int port) {
        return MusicSourceYaml.of("numbers", port, "200ms", "{path: /numbers}", "")
                .replace("name: {type: string, source: name, required: true}",
                        "name: {type: integer, source: number, required: true}")
                .replace("{name: name, type: text, required: true}", "{name: name, type: integer, required: true}");
    }
}
