package io.tributary.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.simulator.ForumSimulatorApplication;
import io.tributary.simulator.content.ForumChange;
import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The contract, over real HTTP, against a running simulator on a real SQLite file. */
class ForumApiIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static ConfigurableApplicationContext app;
    static WebTestClient http;
    static ForumStore store;
    static ForumMutator mutator;

    @BeforeAll
    static void start(@TempDir Path dir) {
        app = ForumSimulatorApplication.builder().properties(
                "server.port=0",
                "forum-simulator.database=" + dir.resolve("sim/forum.db"),
                "forum-simulator.seed.users=320",
                "forum-simulator.seed.sections=3",
                "forum-simulator.seed.topics=40",
                "forum-simulator.seed.messages=500").run();
        // WebTestClient's default 5 s is too tight for a write-heavy admin call on a loaded 2-core CI machine.
        http = WebTestClient.bindToServer().responseTimeout(Duration.ofSeconds(30))
                .baseUrl("http://localhost:" + app.getEnvironment().getProperty("local.server.port")).build();
        store = app.getBean(ForumStore.class);
        mutator = app.getBean(ForumMutator.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static JsonNode get(String uri, int status) {
        byte[] body = http.get().uri(uri).exchange().expectStatus().isEqualTo(status)
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    /** Walks every page of a listing. */
    static List<JsonNode> walk(String collection, String query, int perPage) {
        List<JsonNode> records = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = get("/api/" + collection + "?per_page=" + perPage + "&page=" + page + query, 200);
            assertThat(body.get("meta").get("page").asInt()).isEqualTo(page);
            assertThat(body.get("meta").get("per_page").asInt()).isEqualTo(perPage);
            body.get("data").forEach(records::add);
            if (!body.get("meta").get("has_more").asBoolean()) {
                assertThat(body.get("data").size()).isLessThanOrEqualTo(perPage);
                return records;
            }
            assertThat(body.get("data").size()).isEqualTo(perPage);
        }
    }

    @Test
    void listingIsOrderedByUpdatedAtThenIdAndCoversEveryRecord() {
        List<JsonNode> users = walk("users", "", 100);
        assertThat(users).hasSize((int) store.count("users"));
        Comparator<JsonNode> order = Comparator.<JsonNode, String>comparing(n -> n.get("updated_at").asString())
                .thenComparing(n -> n.get("id").asString());
        assertThat(users).isSortedAccordingTo(order);
        assertThat(users).extracting(n -> n.get("id").asString()).doesNotHaveDuplicates();
        Map<String, Long> ties = users.stream()
                .collect(Collectors.groupingBy(n -> n.get("updated_at").asString(), Collectors.counting()));
        assertThat(ties.values()).anySatisfy(n -> assertThat(n).isGreaterThan(100));
        assertThat(users.get(0).propertyNames()).containsExactly("id", "name", "email", "created_at", "updated_at");
    }

    @Test
    void updatedSinceIsInclusive() {
        List<JsonNode> all = walk("messages", "", 100);
        JsonNode pivot = all.get(all.size() / 2);
        String since = pivot.get("updated_at").asString();
        List<JsonNode> after = walk("messages", "&updated_since=" + since, 100);
        List<JsonNode> expected = all.stream().filter(n -> n.get("updated_at").asString().compareTo(since) >= 0).toList();
        assertThat(after).isEqualTo(expected).contains(pivot);
        // the same instant with an offset, and with a finer fraction that rounds up past it
        String shifted = since.replace("Z", "+00:00"); // a client that forgets to encode '+' is tolerated
        assertThat(walk("messages", "&updated_since=" + shifted, 100)).isEqualTo(expected);
        String finer = since.replace("Z", "0001Z");
        assertThat(walk("messages", "&updated_since=" + finer, 100)).doesNotContain(pivot);
    }

    @Test
    void messagesRenderParentIdNullForTopLevelMessages() {
        JsonNode page = get("/api/messages?per_page=100", 200);
        assertThat(page.get("meta").get("has_more").asBoolean()).isTrue();
        List<JsonNode> data = new ArrayList<>();
        page.get("data").forEach(data::add);
        assertThat(data).allSatisfy(m -> assertThat(m.propertyNames())
                .containsExactly("id", "topic_id", "user_id", "parent_id", "body", "created_at", "updated_at"));
        assertThat(data).anySatisfy(m -> assertThat(m.get("parent_id").isNull()).isTrue());
        assertThat(data).anySatisfy(m -> assertThat(m.get("parent_id").isString()).isTrue());
    }

    @Test
    void badParametersAre400AndUnknownCollection404() {
        JsonNode defaults = get("/api/sections", 200);
        assertThat(defaults.get("meta").get("per_page").asInt()).isEqualTo(50);
        assertThat(defaults.get("meta").get("page").asInt()).isEqualTo(1);
        assertThat(defaults.get("meta").get("has_more").asBoolean()).isFalse();
        assertThat(get("/api/users?per_page=100", 200).get("data").size()).isEqualTo(100);
        assertThat(get("/api/users?per_page=1", 200).get("data").size()).isEqualTo(1);
        assertThat(get("/api/users?per_page=0", 400).get("message").asString()).contains("per_page");
        assertThat(get("/api/users?per_page=101", 400).get("message").asString()).contains("per_page");
        assertThat(get("/api/users?page=0", 400).get("message").asString()).contains("page");
        assertThat(get("/api/users?page=abc", 400).get("message").asString()).contains("page");
        assertThat(get("/api/users?updated_since=yesterday", 400).get("message").asString()).contains("updated_since");
        assertThat(get("/api/users?updated_since=2026-11-21", 400).get("error").asString()).isEqualTo("bad_request");
        assertThat(get("/api/posts", 404).get("message").asString()).contains("posts");
        assertThat(get("/api/users?page=1000", 200).get("data").size()).isZero();
    }

    @Test
    void oneRecordIs200AndAMissingOrDeletedOne404() {
        JsonNode first = get("/api/topics?per_page=1", 200).get("data").get(0);
        assertThat(get("/api/topics/" + first.get("id").asString(), 200)).isEqualTo(first);
        assertThat(get("/api/topics/doesNotExist1", 404).get("error").asString()).isEqualTo("not_found");

        ForumChange deleted = mutator.delete("topics", 1).get(0);
        get("/api/topics/" + deleted.id(), 404);
        assertThat(walk("topics", "", 100)).extracting(n -> n.get("id").asString()).doesNotContain(deleted.id());
    }

    @Test
    void adminEndpointsMutateAndCount() {
        long users = store.count("users");
        JsonNode result = JSON.readTree(http.post()
                .uri("/admin/mutations?creates=20&updates=10&deletes=2&bulk=1&collection=users&bulk_size=120")
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(result.get("created").asInt()).isGreaterThanOrEqualTo(20);
        assertThat(result.get("updated").asInt()).isEqualTo(10);
        assertThat(result.get("deleted").asInt()).isEqualTo(2);
        assertThat(result.get("bulk_updated").asInt()).isEqualTo(120);
        JsonNode stats = get("/admin/stats", 200);
        assertThat(stats.get("users").asLong()).isEqualTo(store.count("users")).isGreaterThanOrEqualTo(users - 2);
        assertThat(stats.get("messages").asLong()).isEqualTo(store.count("messages"));
        http.post().uri("/admin/mutations?creates=-1").exchange().expectStatus().isBadRequest();
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("tributary_simulator_mutations"));
    }
}
