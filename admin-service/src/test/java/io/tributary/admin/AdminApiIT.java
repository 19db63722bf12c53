package io.tributary.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The admin API against a real KRaft broker: tenancy, tokens, validation, the config topics as the store. */
@EmbeddedKafka
@ExtendWith(OutputCaptureExtension.class)
class AdminApiIT {

    private static final String BOOTSTRAP = "bootstrap-token-for-the-admin-it-0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();
    private final List<String> bodies = new ArrayList<>();

    @AfterEach
    void close() {
        apps.forEach(ConfigurableApplicationContext::close);
    }

    private WebTestClient start(EmbeddedKafkaBroker broker) {
        ConfigurableApplicationContext app = AdminApplication.builder().run("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--tributary.admin.bootstrap-token=" + BOOTSTRAP, "--tributary.admin.max-body-size=64KB");
        apps.add(app);
        String port = app.getBean(Environment.class).getProperty("local.server.port");
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }

    private EntityExchangeResult<String> call(WebTestClient client, HttpMethod method, String path, String token, String body, MediaType type) {
        var spec = client.method(method).uri(path);
        if (token != null) spec = spec.header("Authorization", "Bearer " + token);
        var result = (body == null ? spec : spec.contentType(type).bodyValue(body)).exchange().expectBody(String.class).returnResult();
        bodies.add(String.valueOf(result.getResponseBody()) + result.getResponseHeaders());
        return result;
    }

    private EntityExchangeResult<String> call(WebTestClient client, HttpMethod method, String path, String token, String body) {
        return call(client, method, path, token, body, MediaType.parseMediaType("application/yaml"));
    }

    private static JsonNode json(EntityExchangeResult<String> result) {
        return JSON.readTree(result.getResponseBody());
    }

    /**
     * The forum example as {@code organization}'s source {@code id}, its secret one of that organization's, its entities
     * (and tables, endpoints) prefixed with {@code entities} ({@code org_a_users}, ...): entity names are claimed per
     * organization like source ids (decision 0031).
     */
    private static String definition(String organization, String id, String entities) throws Exception {
        return Files.readString(Path.of("../examples/forum.yaml")).replace("organization: good-forum", "organization: " + organization)
                .replace("id: forum-sim", "id: " + id).replace("${env:TRIBUTARY_SECRET_GOOD_FORUM__WEBHOOK_SECRET}",
                        "${env:TRIBUTARY_SECRET_" + organization.toUpperCase().replace('-', '_') + "__WEBHOOK_SECRET}")
                .replaceAll("\\b(users|sections|topics|messages)\\b", entities + "_$1");
    }

    /** The organization's own entity names: {@code org_a_users} for {@code org-a}. */
    private static String definition(String organization, String id) throws Exception {
        return definition(organization, id, organization.replace('-', '_'));
    }

    private static String definition(String organization) throws Exception {
        return definition(organization, "forum-sim");
    }

    @Test
    void organizationsSourcesTenancyAndRestart(EmbeddedKafkaBroker broker, CapturedOutput output) throws Exception {
        WebTestClient client = start(broker);

        // organizations: bootstrap token only; the org token is shown once
        assertThat(call(client, HttpMethod.POST, "/organizations", null, "{\"id\":\"a\"}", MediaType.APPLICATION_JSON).getStatus().value()).isEqualTo(401);
        assertThat(call(client, HttpMethod.POST, "/organizations", "nope", "{\"id\":\"a\"}", MediaType.APPLICATION_JSON).getStatus().value()).isEqualTo(401);
        var createdA = call(client, HttpMethod.POST, "/organizations", BOOTSTRAP, "{\"id\":\"org-a\"}", MediaType.APPLICATION_JSON);
        assertThat(createdA.getStatus().value()).isEqualTo(201);
        String tokenA = json(createdA).get("token").asString();
        var createdB = call(client, HttpMethod.POST, "/organizations", BOOTSTRAP, "{\"id\":\"org-b\"}", MediaType.APPLICATION_JSON);
        String tokenB = json(createdB).get("token").asString();
        assertThat(tokenA).hasSizeGreaterThan(40).isNotEqualTo(tokenB);
        assertThat(call(client, HttpMethod.POST, "/organizations", tokenA, "{\"id\":\"org-c\"}", MediaType.APPLICATION_JSON).getStatus().value()).isEqualTo(403);
        assertThat(json(call(client, HttpMethod.GET, "/organizations/org-a", tokenA, null)).has("token")).isFalse();
        // the operator lists the organizations: ids and creation times only
        var listed = call(client, HttpMethod.GET, "/organizations", BOOTSTRAP, null);
        assertThat(listed.getStatus().value()).isEqualTo(200);
        // (the broker, and so the organizations, are shared by this class's tests)
        List<JsonNode> listedOrganizations = json(listed).get("organizations").valueStream().toList();
        assertThat(listedOrganizations).extracting(o -> o.get("id").asString()).contains("org-a", "org-b").isSorted();
        JsonNode listedA = listedOrganizations.stream().filter(o -> o.get("id").asString().equals("org-a")).findFirst().orElseThrow();
        assertThat(listedA.get("createdAt").asString()).isEqualTo(json(createdA).get("createdAt").asString());
        assertThat(listedA.propertyNames()).containsExactlyInAnyOrder("id", "createdAt");
        assertThat(listed.getResponseBody()).doesNotContain(tokenA).doesNotContain(Tokens.hash(tokenA))
                .doesNotContain(Tokens.hash(tokenB));
        assertThat(call(client, HttpMethod.GET, "/organizations", tokenA, null).getStatus().value()).isEqualTo(403);
        assertThat(call(client, HttpMethod.GET, "/organizations", null, null).getStatus().value()).isEqualTo(401);


        // org A: create, update, list, pause, resume, resync
        String defA = definition("org-a");
        var put = call(client, HttpMethod.PUT, "/organizations/org-a/sources/forum-sim", tokenA, defA);
        assertThat(put.getStatus().value()).isEqualTo(201);
        assertThat(json(put).at("/state/version").asLong()).isEqualTo(1);
        var update = call(client, HttpMethod.PUT, "/organizations/org-a/sources/forum-sim", tokenA, defA.replace("interval: 5s", "interval: 7s"));
        assertThat(update.getStatus().value()).isEqualTo(200);
        assertThat(json(update).at("/definition/schedule/interval").asString()).isEqualTo("7s");
        assertThat(json(update).at("/state/version").asLong()).isEqualTo(2);
        var list = json(call(client, HttpMethod.GET, "/organizations/org-a/sources", tokenA, null));
        assertThat(list.get("sources")).hasSize(1);
        assertThat(json(call(client, HttpMethod.POST, "/organizations/org-a/sources/forum-sim/pause", tokenA, null)).at("/state/paused").asBoolean()).isTrue();
        assertThat(json(call(client, HttpMethod.POST, "/organizations/org-a/sources/forum-sim/resync", tokenA, null)).at("/state/resyncRequestedAt").isNull()).isFalse();
        var got = call(client, HttpMethod.GET, "/organizations/org-a/sources/forum-sim", tokenA, null);
        assertThat(json(got).at("/state/paused").asBoolean()).isTrue();
        // credentials only as their references
        assertThat(json(got).at("/definition/webhooks/inbound/secrets/0").asString()).isEqualTo("${env:TRIBUTARY_SECRET_ORG_A__WEBHOOK_SECRET}");

        // org A's token on org B: every verb answers 404, as for a source that does not exist
        assertThat(call(client, HttpMethod.PUT, "/organizations/org-b/sources/forum-b", tokenB, definition("org-b", "forum-b"))
                .getStatus().value()).isEqualTo(201);
        Map<HttpMethod, List<String>> foreign = Map.of(
                HttpMethod.GET, List.of("/organizations/org-b", "/organizations/org-b/sources", "/organizations/org-b/sources/forum-b"),
                HttpMethod.DELETE, List.of("/organizations/org-b/sources/forum-b"),
                HttpMethod.POST, List.of("/organizations/org-b/sources/forum-b/pause", "/organizations/org-b/sources/forum-b/resume",
                        "/organizations/org-b/sources/forum-b/resync"));
        foreign.forEach((method, paths) -> paths.forEach(path -> {
            var refused = call(client, method, path, tokenA, null);
            assertThat(refused.getStatus().value()).as(method + " " + path).isEqualTo(404);
            assertThat(json(refused).get("type").asString()).isEqualTo("urn:tributary:admin:not-found");
        }));
        assertThat(call(client, HttpMethod.PUT, "/organizations/org-b/sources/forum-b", tokenA, definition("org-b", "forum-b")).getStatus().value()).isEqualTo(404);
        assertThat(call(client, HttpMethod.POST, "/organizations/org-b/sources/validate", tokenA, definition("org-b")).getStatus().value()).isEqualTo(404);
        assertThat(call(client, HttpMethod.DELETE, "/organizations/org-b", tokenA, null).getStatus().value()).isEqualTo(403);
        assertThat(json(call(client, HttpMethod.GET, "/organizations/org-b/sources/forum-b", tokenB, null)).at("/state/paused").asBoolean()).isFalse();

        // no or an unknown token: 401 on organization resources too
        assertThat(call(client, HttpMethod.GET, "/organizations/org-a/sources", "trb_unknown", null).getStatus().value()).isEqualTo(401);
        assertThat(call(client, HttpMethod.GET, "/organizations/org-a/sources", null, null).getStatus().value()).isEqualTo(401);
        assertThat(json(call(client, HttpMethod.GET, "/organizations/org-a/sources", null, null)).get("type").asString())
                .isEqualTo("urn:tributary:admin:unauthorized");
        // the operator's token reaches any organization
        assertThat(call(client, HttpMethod.GET, "/organizations/org-b/sources/forum-b", BOOTSTRAP, null).getStatus().value()).isEqualTo(200);

        // validation without saving: every problem with its JSON path, from every stage that can run (decision 0034):
        // the schema's, a literal credential, a mapping, the organization's secrets, ids and entities held by another
        String broken = defA.replace("id: forum-sim", "id: forum-b")
                .replace("interval: 5s", "interval: soon")
                .replace("${env:TRIBUTARY_SECRET_ORG_A__WEBHOOK_SECRET}", "${env:DB_PASSWORD}")
                .replace("- name: org_a_users", "- name: org_b_users")
                .replace("endpoint: {path: /org_a_sections,", "endpoint: {query: {api_key: abc123}, path: /org_a_sections,")
                .replace("section_id: {type: string, source: section_id, required: true}",
                        "section_id: {type: string, source: section_id, required: true, transforms: [{op: regex, pattern: \"(\"}]}");
        var invalid = json(call(client, HttpMethod.POST, "/organizations/org-a/sources/validate", tokenA, broken));
        assertThat(invalid.get("valid").asBoolean()).isFalse();
        assertThat(invalid.get("problems").valueStream().map(p -> p.get("path").asString()).toList()).containsExactly(
                "$.entities[0].name", "$.entities[1].endpoint.query.api_key",
                "$.entities[2].mapping.fields.section_id.transforms[0].pattern", "$.id", "$.schedule.interval",
                "$.webhooks.inbound.secrets[0]");
        assertThat(invalid.toString()).doesNotContain("abc123").doesNotContain("org-b");
        assertThat(json(call(client, HttpMethod.POST, "/organizations/org-a/sources/validate", tokenA, defA)).get("valid").asBoolean()).isTrue();
        // the same as JSON: the body is read as JSON when its Content-Type says so
        String defAJson = JSON.writeValueAsString(tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readTree(defA));
        assertThat(json(call(client, HttpMethod.POST, "/organizations/org-a/sources/validate", tokenA, defAJson,
                MediaType.APPLICATION_JSON)).get("valid").asBoolean()).isTrue();
        var jsonProblems = json(call(client, HttpMethod.POST, "/organizations/org-a/sources/validate", tokenA,
                defAJson.replace("\"interval\":\"5s\"", "\"interval\":\"soon\""), MediaType.APPLICATION_JSON));
        assertThat(jsonProblems.get("problems").valueStream().map(p -> p.get("path").asString()).toList())
                .containsExactly("$.schedule.interval");
        // a document that does not parse: one problem at $ naming the line and column, the document not quoted back
        var notYaml = json(call(client, HttpMethod.POST, "/organizations/org-a/sources/validate", tokenA,
                "organization: org-a\nid: forum-sim\nauth: {token: sk_live_abcdef, [\n"));
        assertThat(notYaml.get("valid").asBoolean()).isFalse();
        assertThat(notYaml.at("/problems/0/path").asString()).isEqualTo("$");
        assertThat(notYaml.at("/problems/0/message").asString()).startsWith("not valid YAML at line 3, column")
                .doesNotContain("sk_live_abcdef");
        assertThat(notYaml.get("problems")).hasSize(1);
        var notJson = json(call(client, HttpMethod.POST, "/organizations/org-a/sources/validate", tokenA,
                "{\"organization\": \"org-a\",\n \"id\": \"forum-sim\",\n \"kind\" \"rest\"}", MediaType.APPLICATION_JSON));
        assertThat(notJson.at("/problems/0/message").asString()).startsWith("not valid JSON at line 3, column");
        var malformedPut = call(client, HttpMethod.PUT, "/organizations/org-a/sources/forum-sim", tokenA, "{\"organization\": ",
                MediaType.APPLICATION_JSON);
        assertThat(malformedPut.getStatus().value()).isEqualTo(422);
        assertThat(json(malformedPut).at("/problems/0/message").asString()).startsWith("not valid JSON at line 1");

        // credentials written in clear outside auth are refused at their path and never echoed (decision 0031)
        var userInfo = call(client, HttpMethod.PUT, "/organizations/org-a/sources/forum-sim", tokenA,
                defA.replace("baseUrl: http://localhost:8081/api", "baseUrl: http://reader:pa55-in-url@localhost:8081/api"));
        assertThat(userInfo.getStatus().value()).isEqualTo(422);
        assertThat(json(userInfo).get("problems").valueStream().map(p -> p.get("path").asString()).toList())
                .containsExactly("$.baseUrl");
        assertThat(json(userInfo).at("/problems/0/message").asString()).contains("auth").contains("${env:NAME}");
        String queryRef = defA.replace("endpoint: {path: /org_a_users,", "endpoint: {query: {api_key: \"%s\"}, path: /org_a_users,");
        var scopedKey = json(call(client, HttpMethod.POST, "/organizations/org-a/sources/validate", tokenA,
                queryRef.formatted("${env:DB_PASSWORD}")));
        assertThat(scopedKey.get("problems").valueStream().map(p -> p.get("path").asString()).toList())
                .containsExactly("$.entities[0].endpoint.query.api_key");
        assertThat(json(call(client, HttpMethod.POST, "/organizations/org-a/sources/validate", tokenA,
                queryRef.formatted("${env:TRIBUTARY_SECRET_ORG_A__FORUM_KEY}"))).get("valid").asBoolean()).isTrue();
        var otherOrg = call(client, HttpMethod.PUT, "/organizations/org-a/sources/forum-sim", tokenA, definition("org-b"));
        assertThat(otherOrg.getStatus().value()).isEqualTo(422);
        assertThat(json(otherOrg).get("problems").get(0).get("path").asString()).isEqualTo("$.organization");
        var literal = call(client, HttpMethod.PUT, "/organizations/org-a/sources/forum-sim", tokenA,
                defA.replace("${env:TRIBUTARY_SECRET_ORG_A__WEBHOOK_SECRET}", "whsec_literal-secret-value"));
        assertThat(literal.getStatus().value()).isEqualTo(422);
        var big = call(client, HttpMethod.POST, "/organizations/org-a/sources/validate", tokenA, defA + "#".repeat(70_000));
        assertThat(big.getStatus().value()).isEqualTo(413);
        assertThat(json(big).get("type").asString()).isEqualTo("urn:tributary:admin:body-too-large");

        // the topic holds the record; a restart rebuilds the state from the topics
        apps.remove(0).close();
        WebTestClient again = start(broker);
        var after = call(again, HttpMethod.GET, "/organizations/org-a/sources/forum-sim", tokenA, null);
        assertThat(after.getStatus().value()).isEqualTo(200);
        assertThat(json(after).at("/state/paused").asBoolean()).isTrue();
        assertThat(json(after).at("/state/version").asLong()).isEqualTo(4);
        assertThat(call(again, HttpMethod.DELETE, "/organizations/org-a/sources/forum-sim", tokenA, null).getStatus().value()).isEqualTo(204);
        assertThat(call(again, HttpMethod.GET, "/organizations/org-a/sources/forum-sim", tokenA, null).getStatus().value()).isEqualTo(404);

        Map<String, List<String>> records = readAll(broker, "tributary.config.sources");
        assertThat(records.get("org-a/forum-sim")).hasSize(5);
        assertThat(records.get("org-a/forum-sim").get(3)).contains("\"paused\":true");
        assertThat(records.get("org-a/forum-sim").get(4)).isNull();
        assertThat(records.get("org-b/forum-b")).hasSize(1);
        String organizations = String.join("\n", readAll(broker, "tributary.config.organizations").get("org-a"));
        assertThat(organizations).doesNotContain(tokenA).contains(Tokens.hash(tokenA));

        // no token and no literal secret in logs; the token in a response only at creation
        for (String secret : List.of(tokenA, tokenB, BOOTSTRAP, "whsec_literal-secret-value", "pa55-in-url", "abc123")) {
            assertThat(output.getAll()).doesNotContain(secret);
        }
        assertThat(bodies.stream().filter(b -> b.contains(tokenA))).hasSize(1);
        assertThat(bodies).noneMatch(b -> b.contains("whsec_literal-secret-value") || b.contains(BOOTSTRAP)
                || b.contains("pa55-in-url") || b.contains("abc123"));

        // metrics for the dashboards (Prometheus scrapes the admin service too), without a token or a hash in them
        var metrics = call(again, HttpMethod.GET, "/actuator/prometheus", null, null);
        assertThat(metrics.getStatus().value()).isEqualTo(200);
        assertThat(metrics.getResponseBody()).contains("jvm_memory_used_bytes").doesNotContain(tokenA)
                .doesNotContain(Tokens.hash(tokenA)).doesNotContain(BOOTSTRAP);

        // token rotation: the new token works at once, the previous one during its grace (1h by default) and not
        // after a rotation that revokes it; another organization's token cannot rotate A's
        assertThat(call(again, HttpMethod.POST, "/organizations/org-a/token", tokenB, null).getStatus().value()).isEqualTo(404);
        var rotated = call(again, HttpMethod.POST, "/organizations/org-a/token", tokenA, null);
        assertThat(rotated.getStatus().value()).isEqualTo(201);
        String tokenA2 = json(rotated).get("token").asString();
        assertThat(tokenA2).isNotEqualTo(tokenA);
        assertThat(json(rotated).get("previousValidUntil").isNull()).isFalse();
        assertThat(call(again, HttpMethod.GET, "/organizations/org-a", tokenA2, null).getStatus().value()).isEqualTo(200);
        assertThat(call(again, HttpMethod.GET, "/organizations/org-a", tokenA, null).getStatus().value()).isEqualTo(200);
        var revoking = call(again, HttpMethod.POST, "/organizations/org-a/token?revoke-previous=true", tokenA2, null);
        assertThat(revoking.getStatus().value()).isEqualTo(201);
        assertThat(json(revoking).get("previousValidUntil").isNull()).isTrue();
        String tokenA3 = json(revoking).get("token").asString();
        assertThat(call(again, HttpMethod.GET, "/organizations/org-a", tokenA2, null).getStatus().value()).isEqualTo(401);
        assertThat(call(again, HttpMethod.GET, "/organizations/org-a", tokenA, null).getStatus().value()).isEqualTo(401);
    }

    /**
     * Decision 0031: a source id or an entity name used by one organization is refused to another (409, naming the name
     * and its JSON path, never the holder), also after the holder deleted the source (its rows stay under that id and in
     * that table), across a restart, and after the holder organization itself is deleted (whose id is not reused); and a
     * definition may only name its own organization's secrets.
     */
    @Test
    void sourceIdsAndEntitiesAreClaimedForGoodAndADefinitionNamesOnlyItsOrganizationsSecrets(EmbeddedKafkaBroker broker,
            CapturedOutput output) throws Exception {
        WebTestClient client = start(broker);
        String tokenA = json(call(client, HttpMethod.POST, "/organizations", BOOTSTRAP, "{\"id\":\"iso-a\"}", MediaType.APPLICATION_JSON))
                .get("token").asString();
        String tokenB = json(call(client, HttpMethod.POST, "/organizations", BOOTSTRAP, "{\"id\":\"iso-b\"}", MediaType.APPLICATION_JSON))
                .get("token").asString();
        for (String ambiguous : List.of("iso--c", "iso-c-", "-iso", "ISO")) {
            var refused = call(client, HttpMethod.POST, "/organizations", BOOTSTRAP, "{\"id\":\"" + ambiguous + "\"}",
                    MediaType.APPLICATION_JSON);
            assertThat(refused.getStatus().value()).as(ambiguous).isEqualTo(400);
        }
        assertThat(call(client, HttpMethod.PUT, "/organizations/iso-a/sources/music", tokenA, definition("iso-a", "music"))
                .getStatus().value()).isEqualTo(201);

        // B cannot take A's id: 409, the id and its path named, A's name never
        var taken = call(client, HttpMethod.PUT, "/organizations/iso-b/sources/music", tokenB, definition("iso-b", "music"));
        assertThat(taken.getStatus().value()).isEqualTo(409);
        assertThat(taken.getResponseHeaders().getContentType().toString()).contains("application/problem+json");
        assertThat(json(taken).get("type").asString()).isEqualTo("urn:tributary:admin:source-id-taken");
        assertThat(json(taken).get("path").asString()).isEqualTo("$.id");
        assertThat(json(taken).get("sourceId").asString()).isEqualTo("music");
        assertThat(taken.getResponseBody()).contains("another organization").doesNotContain("iso-a");
        var validated = json(call(client, HttpMethod.POST, "/organizations/iso-b/sources/validate", tokenB, definition("iso-b", "music")));
        assertThat(validated.get("valid").asBoolean()).isFalse();
        assertThat(validated.get("problems").valueStream().map(p -> p.get("path").asString()).toList()).containsExactly("$.id");
        assertThat(validated.toString()).doesNotContain("iso-a");
        assertThat(call(client, HttpMethod.PUT, "/organizations/iso-b/sources/music", BOOTSTRAP, definition("iso-b", "music"))
                .getStatus().value()).as("the operator's token cannot either").isEqualTo(409);
        assertThat(call(client, HttpMethod.GET, "/organizations/iso-b/sources/music", tokenB, null).getStatus().value()).isEqualTo(404);

        // nor A's entities (tables): 409 at the first entity's path; validate names each one
        String intoA = definition("iso-b", "iso-b-music", "iso_a");
        var entityTaken = call(client, HttpMethod.PUT, "/organizations/iso-b/sources/iso-b-music", tokenB, intoA);
        assertThat(entityTaken.getStatus().value()).isEqualTo(409);
        assertThat(json(entityTaken).get("type").asString()).isEqualTo("urn:tributary:admin:entity-taken");
        assertThat(json(entityTaken).get("path").asString()).isEqualTo("$.entities[0].name");
        assertThat(json(entityTaken).get("entity").asString()).isEqualTo("iso_a_users");
        assertThat(entityTaken.getResponseBody()).contains("another organization").doesNotContain("iso-a");
        assertThat(json(call(client, HttpMethod.POST, "/organizations/iso-b/sources/validate", tokenB, intoA)).get("problems")
                .valueStream().map(p -> p.get("path").asString()).toList()).containsExactly("$.entities[0].name",
                "$.entities[1].name", "$.entities[2].name", "$.entities[3].name");
        assertThat(call(client, HttpMethod.PUT, "/organizations/iso-b/sources/iso-b-music", tokenB,
                definition("iso-b", "iso-b-music")).getStatus().value()).isEqualTo(201);
        assertThat(call(client, HttpMethod.PUT, "/organizations/iso-a/sources/more-music", tokenA,
                definition("iso-a", "more-music")).getStatus().value()).as("one organization's sources share its entities")
                .isEqualTo(201);

        // deleted, the id stays A's (its rows are in the main DB under it); A may store it again
        assertThat(call(client, HttpMethod.DELETE, "/organizations/iso-a/sources/music", tokenA, null).getStatus().value()).isEqualTo(204);
        assertThat(call(client, HttpMethod.PUT, "/organizations/iso-b/sources/music", tokenB, definition("iso-b", "music"))
                .getStatus().value()).isEqualTo(409);
        apps.remove(0).close();
        client = start(broker);
        assertThat(call(client, HttpMethod.PUT, "/organizations/iso-b/sources/music", tokenB, definition("iso-b", "music"))
                .getStatus().value()).as("after a restart").isEqualTo(409);
        assertThat(call(client, HttpMethod.PUT, "/organizations/iso-a/sources/music", tokenA, definition("iso-a", "music"))
                .getStatus().value()).isEqualTo(201);
        assertThat(String.join("\n", readAll(broker, "tributary.config.organizations").get("iso-a")))
                .contains("\"sourceIds\":[\"more-music\",\"music\"]")
                .contains("\"entities\":[\"iso_a_messages\",\"iso_a_sections\",\"iso_a_topics\",\"iso_a_users\"]");

        // the holder deleted: its sources go, its names stay its own (its rows remain), also across a restart, and its
        // id is not given to a new organization
        assertThat(call(client, HttpMethod.DELETE, "/organizations/iso-a", BOOTSTRAP, null).getStatus().value()).isEqualTo(204);
        assertThat(readAll(broker, "tributary.config.sources").get("iso-a/music")).last().isNull();
        assertThat(call(client, HttpMethod.GET, "/organizations/iso-a", tokenA, null).getStatus().value()).isEqualTo(401);
        assertThat(call(client, HttpMethod.GET, "/organizations/iso-a", BOOTSTRAP, null).getStatus().value()).isEqualTo(404);
        assertThat(call(client, HttpMethod.PUT, "/organizations/iso-b/sources/music", tokenB, definition("iso-b", "music"))
                .getStatus().value()).isEqualTo(409);
        apps.remove(0).close();
        client = start(broker);
        assertThat(call(client, HttpMethod.PUT, "/organizations/iso-b/sources/music", tokenB, definition("iso-b", "music"))
                .getStatus().value()).as("after a restart").isEqualTo(409);
        assertThat(json(call(client, HttpMethod.PUT, "/organizations/iso-b/sources/iso-b-other", tokenB,
                definition("iso-b", "iso-b-other", "iso_a"))).get("type").asString()).isEqualTo("urn:tributary:admin:entity-taken");
        var reused = call(client, HttpMethod.POST, "/organizations", BOOTSTRAP, "{\"id\":\"iso-a\"}", MediaType.APPLICATION_JSON);
        assertThat(reused.getStatus().value()).isEqualTo(409);
        assertThat(json(reused).get("type").asString()).isEqualTo("urn:tributary:admin:organization-deleted");
        assertThat(json(call(client, HttpMethod.GET, "/organizations", BOOTSTRAP, null)).get("organizations").valueStream()
                .map(o -> o.get("id").asString()).toList()).contains("iso-b").doesNotContain("iso-a");

        // secrets: only TRIBUTARY_SECRET_ISO_B__* and files under /run/secrets/tributary/iso-b/, each problem at its path
        String own = definition("iso-b", "hooks");
        assertThat(json(call(client, HttpMethod.POST, "/organizations/iso-b/sources/validate", tokenB,
                own.replace("${env:TRIBUTARY_SECRET_ISO_B__WEBHOOK_SECRET}", "${file:/run/secrets/tributary/iso-b/hook}")))
                .get("valid").asBoolean()).isTrue();
        String foreign = own.replace("secrets: [\"${env:TRIBUTARY_SECRET_ISO_B__WEBHOOK_SECRET}\"]",
                "secrets: [\"${env:DB_PASSWORD}\", \"${file:/run/secrets/tributary/iso-b/../iso-a/hook}\"]");
        assertThat(foreign).isNotEqualTo(own);
        var scoped = json(call(client, HttpMethod.POST, "/organizations/iso-b/sources/validate", tokenB, foreign));
        assertThat(scoped.get("valid").asBoolean()).isFalse();
        assertThat(scoped.get("problems").valueStream().map(p -> p.get("path").asString()).toList())
                .containsExactly("$.webhooks.inbound.secrets[0]", "$.webhooks.inbound.secrets[1]");
        assertThat(scoped.at("/problems/0/message").asString()).contains("TRIBUTARY_SECRET_ISO_B__<NAME>");
        var put = call(client, HttpMethod.PUT, "/organizations/iso-b/sources/hooks", tokenB, foreign);
        assertThat(put.getStatus().value()).isEqualTo(422);
        assertThat(json(put).get("problems")).hasSize(2);
        assertThat(call(client, HttpMethod.GET, "/organizations/iso-b/sources/hooks", tokenB, null).getStatus().value()).isEqualTo(404);
        for (String token : List.of(tokenA, tokenB, BOOTSTRAP)) {
            assertThat(output.getAll()).doesNotContain(token);
        }
    }

    private static Map<String, List<String>> readAll(EmbeddedKafkaBroker broker, String topic) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        Map<String, List<String>> byKey = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                }
            }
        }
        return byKey;
    }
}
