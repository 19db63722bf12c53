package io.tributary.simulator.music;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The music API's routes without a server: raw request counts, the admin routes and the outage modes. */
class MusicApiRoutesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebTestClient http = WebTestClient.bindToRouterFunction(
            new MusicApiConfiguration().musicApiRoutes(MusicApiConfiguration.DEFAULT_WEBHOOK_SECRET)).build();

    @Test
    void everyCallToTheApiIsCountedRawWhileTheInventoryCountsEffectiveWrites() {
        String id = create("/music", "change-1", "Blue Train");
        assertThat(create("/music", "change-1", "Blue Train")).as("a replayed create").isEqualTo(id);
        http.get().uri("/music/mu-404").exchange().expectStatus().isNotFound();
        http.put().uri("/music/" + id).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"Blue Train (2)\"}")
                .exchange().expectStatus().isOk();
        http.post().uri("/admin/music/outage?status=503").exchange().expectStatus().isNoContent();
        http.delete().uri("/music/" + id).exchange().expectStatus().isEqualTo(503).expectHeader().valueEquals("Retry-After", "1");
        http.get().uri("/music").exchange().expectStatus().isEqualTo(503);

        JsonNode stats = stats();
        assertThat(stats.path("creates").asLong()).as("effective").isEqualTo(1);
        assertThat(stats.path("replays").asLong()).isEqualTo(1);
        assertThat(stats.path("updates").asLong()).isEqualTo(1);
        assertThat(stats.path("deletes").asLong()).as("refused by the outage").isZero();
        assertThat(requests(stats)).as("raw calls, the replay, the 404 and the refused ones included").isEqualTo(Map.of(
                "POST /music", 2L, "GET /music/{id}", 1L, "PUT /music/{id}", 1L, "DELETE /music/{id}", 1L,
                "GET /music", 1L));
    }

    @Test
    void theAdminItemRoutesChangeTheInventoryDuringAnOutageAndAreNotCountedAsCalls() {
        http.post().uri("/admin/music/outage").exchange().expectStatus().isNoContent();
        String id = create("/admin/music/items", null, "So What");
        http.put().uri("/admin/music/items/" + id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"So What (take 2)\"}").exchange().expectStatus().isOk();
        http.delete().uri("/admin/music/items/" + id).exchange().expectStatus().isNoContent();
        http.delete().uri("/admin/music/items/" + id).exchange().expectStatus().isNotFound();

        JsonNode stats = stats();
        assertThat(stats.path("creates").asLong()).isEqualTo(1);
        assertThat(stats.path("updates").asLong()).isEqualTo(1);
        assertThat(stats.path("deletes").asLong()).isEqualTo(1);
        assertThat(requests(stats)).isEmpty();
    }

    @Test
    void anOutageLimitedToSomeMethodsLeavesTheOthersAnswered() {
        String id = create("/music", null, "Naima");
        http.post().uri("/admin/music/outage?status=503&methods=put,DELETE").exchange().expectStatus().isNoContent();

        http.put().uri("/music/" + id).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"Naima (2)\"}")
                .exchange().expectStatus().isEqualTo(503);
        http.delete().uri("/music/" + id).exchange().expectStatus().isEqualTo(503);
        http.get().uri("/music/" + id).exchange().expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo("Naima");
        create("/music", null, "Giant Steps");
        http.delete().uri("/admin/music/outage").exchange().expectStatus().isNoContent();
        http.put().uri("/music/" + id).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"Naima (2)\"}")
                .exchange().expectStatus().isOk();

        assertThat(stats().path("updates").asLong()).isEqualTo(1);
    }

    /** A lost answer: the create is done at the source, the client sees 503 and tries again with its key. */
    @Test
    void anAppliedOutageServesTheRequestAndLosesOnlyItsAnswer() {
        http.post().uri("/admin/music/outage?status=503&applied=true").exchange().expectStatus().isNoContent();
        for (int attempt = 0; attempt < 3; attempt++) {
            http.post().uri("/music").header("Idempotency-Key", "change-7").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"name\":\"Lonnie's Lament\"}").exchange().expectStatus().isEqualTo(503);
        }
        assertThat(stats().path("creates").asLong()).as("created once, then replayed").isEqualTo(1);
        assertThat(stats().path("replays").asLong()).isEqualTo(2);
        http.delete().uri("/admin/music/outage").exchange().expectStatus().isNoContent();

        String id = create("/music", "change-7", "Lonnie's Lament");
        assertThat(id).as("the client learns the first item at last").isEqualTo("mu-1");
        http.get().uri("/music").exchange().expectStatus().isOk().expectBody().jsonPath("$.length()").isEqualTo(1);
    }

    private String create(String path, String key, String name) {
        WebTestClient.RequestBodySpec post = http.post().uri(path).contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            post.header("Idempotency-Key", key);
        }
        byte[] body = post.bodyValue("{\"name\":\"" + name + "\",\"artist\":\"A\",\"album\":\"B\"}").exchange()
                .expectStatus().isCreated().expectBody().returnResult().getResponseBody();
        return JSON.readTree(body).path("id").asString();
    }

    private JsonNode stats() {
        return JSON.readTree(http.get().uri("/admin/music/stats").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
    }

    private static Map<String, Long> requests(JsonNode stats) {
        Map<String, Long> requests = new java.util.TreeMap<>();
        stats.path("requests").properties().forEach(entry -> requests.put(entry.getKey(), entry.getValue().asLong()));
        return requests;
    }
}
