package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.mapping.ForumRecordNormalizer;
import io.tributary.mapping.RecordRejectedException;
import io.tributary.mapping.declarative.DeclarativeNormalizer;
import io.tributary.model.Origin;
import java.time.InstantSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file in examples/ loads and validates; the forum example maps exactly as ForumRecordNormalizer. */
class ExamplesTest {

    static final Path EXAMPLES = Path.of("..", "examples");
    private static final SourceDefinitionLoader LOADER = new SourceDefinitionLoader();

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> definitions = files.filter(file -> file.toString().matches(".*\\.(ya?ml|json)")).sorted().toList();
            assertThat(definitions).extracting(file -> file.getFileName().toString())
                    .contains("forum.yaml", "music-inventory.yaml", "third-party-rest.yaml");
            return definitions.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleIsValid(Path file) throws IOException {
        assertThat(LOADER.validate(Files.readString(file), SourceDefinitionLoader.Format.of(file))).isEmpty();
        SourceDefinition definition = LOADER.load(file);
        assertThat(definition.entities()).isNotEmpty();
        assertThat(definition.entities()).allSatisfy(entity -> assertThat(entity.target()).isNotNull());
        // examples are meant to be stored through the admin API: only their organization's secrets (decision 0031)
        assertThat(SecretScope.of(definition.organization(), "TRIBUTARY_SECRET_", Path.of("/run/secrets/tributary"))
                .problems(definition)).isEmpty();
        assertThat(SecretScope.references(definition)).isNotEmpty();
    }

    /** (The mapping module's ForumMappingEquivalenceTest compares it on seeded random records too.) */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            users    | {"id": "u-1", "name": "Ada", "email": "a@x", "created_at": "2026-11-21T10:00:00.000Z", "updated_at": "2026-11-21T10:00:01.500Z"}
            sections | {"id": "s-1", "title": "Général 👋", "created_at": "2026-11-21T10:00:00.000Z", "updated_at": "2026-11-21T10:00:01.000Z", "x": 1}
            topics   | {"id": "t-1", "section_id": "s-1", "user_id": "u-1", "title": "", "created_at": "x", "updated_at": "2026-11-21T10:00:01.000Z"}
            messages | {"id": "m-1", "topic_id": "t-1", "user_id": "u-1", "parent_id": null, "body": "a\\nb", "created_at": "2026-11-21T10:00:00.000Z", "updated_at": "2026-11-21T10:00:02.000Z"}
            messages | {"id": "m-2", "topic_id": "t-1", "user_id": "u-1", "body": "no parent_id at all", "created_at": "2026-11-21T10:00:00.000Z", "updated_at": "2026-11-21T10:00:02.000Z"}
            messages | {"id": "m-3", "topic_id": "t-1", "user_id": "u-1", "parent_id": "m-1", "body": "b", "created_at": "2026-11-21T10:00:00.000Z", "updated_at": "2026-11-21T10:00:03.000Z"}
            users    | {"id": 5, "name": "n", "email": "e", "created_at": "c", "updated_at": "2026-11-21T10:00:01.000Z"}
            users    | {"id": "u-2", "name": "n", "email": "e", "created_at": "c", "updated_at": "yesterday"}
            users    | {"id": "u-3", "name": null, "email": "e", "created_at": "c", "updated_at": "2026-11-21T10:00:01.000Z"}
            topics   | {"id": "t-2", "section_id": 7, "user_id": "u-1", "title": "t", "created_at": "c", "updated_at": "2026-11-21T10:00:01.000Z"}
            messages | {"id": "m-4", "topic_id": "t-1", "user_id": "u-1", "parent_id": null, "body": "b", "created_at": "c", "updated_at": "1969-12-31T23:59:59.999Z"}
            """)
    void theForumExampleIsTheForumContract(String entity, String record) {
        SourceDefinition forum = LOADER.load(EXAMPLES.resolve("forum.yaml"));
        assertThat(forum.entities()).extracting(EntitySource::name).containsExactly("users", "sections", "topics", "messages");
        assertThat(forum.entities().get(0).pagination()).isEqualTo(new Pagination.PageNumber("page", "per_page", 100, 1));
        assertThat(forum.entities().get(0).records()).isEqualTo(new EntitySource.RecordSelector("data", "meta.has_more", null));
        var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(record);
        InstantSource clock = InstantSource.fixed(java.time.Instant.parse("2026-11-22T00:00:00Z"));
        var reference = new ForumRecordNormalizer("forum-sim", entity, Origin.POLL, clock);
        var declarative = new DeclarativeNormalizer("forum-sim", entity, Origin.POLL, clock,
                forum.entity(entity).orElseThrow().mapping());
        io.tributary.model.ChangeEvent expected;
        try {
            expected = reference.normalize(json);
        } catch (RecordRejectedException refused) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> declarative.normalize(json))
                    .isInstanceOf(io.tributary.mapping.declarative.MappingFailedException.class);
            return;
        }
        assertThat(declarative.normalize(json)).isEqualTo(expected);
        assertThat(declarative.normalize(json).payload()).containsExactlyEntriesOf(expected.payload());
    }

    @Test
    void theMusicInventoryIsTwoWayInTheBriefsShape() {
        SourceDefinition music = LOADER.load(EXAMPLES.resolve("music-inventory.yaml"));
        assertThat(music.sync().mode()).isEqualTo(Sync.Mode.TWO_WAY);
        assertThat(music.sync().conflict()).isEqualTo(Sync.Conflict.LAST_WRITER_WINS);
        assertThat(music.auth()).isEqualTo(new Auth.Bearer(new SecretRef("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN}")));
        EntitySource items = music.entities().get(0);
        assertThat(items.delivery()).isEqualTo(new Delivery(new Delivery.Call("POST", "/music"),
                new Delivery.Call("PUT", "/music/{id}"), new Delivery.Call("DELETE", "/music/{id}"),
                new Delivery.Response("id", "updatedAt"), "Idempotency-Key", false));
        assertThat(items.mapping().fields()).containsOnlyKeys("externalId", "name", "artist", "album");
        assertThat(items.mapping().fields().get("artist").required()).as("required: \"true\" as the brief writes it").isTrue();
        var mapped = items.mapping().map(tools.jackson.databind.json.JsonMapper.builder().build().readTree("""
                {"id": "9f1c", "name": " Blue in Green ", "artist": "Miles Davis", "album": "Kind of Blue",
                 "updatedAt": "2026-11-21T10:00:00Z"}"""));
        assertThat(mapped.externalId()).isEqualTo("9f1c");
        assertThat(mapped.payload()).containsExactly(java.util.Map.entry("name", "Blue in Green"),
                java.util.Map.entry("artist", "Miles Davis"), java.util.Map.entry("album", "Kind of Blue"));
    }

    @Test
    void theThirdPartyExampleUsesEveryPagingStyleAndNestedMappings() {
        SourceDefinition blog = LOADER.load(EXAMPLES.resolve("third-party-rest.yaml"));
        assertThat(blog.auth()).isInstanceOf(Auth.OAuth2ClientCredentials.class);
        assertThat(blog.schedule().cron()).isEqualTo("0 */5 * * * *");
        assertThat(blog.entities()).extracting(EntitySource::pagination).containsExactly(
                new Pagination.OffsetLimit("_start", "_limit", 100),
                new Pagination.LinkHeader("_limit", 50),
                new Pagination.PageNumber("_page", "_limit", 100, 1));
        var post = blog.entity("posts").orElseThrow().mapping().map(tools.jackson.databind.json.JsonMapper.builder().build().readTree("""
                {"id": 12, "author": {"id": 3}, "title": " Hello ", "state": "P", "published": "21/11/2026",
                 "stats": {"readingTime": "7 min"}, "tags": ["a", "b"], "updatedAt": 1763719200000,
                 "body": {"sections": [{"h": " Intro ", "wordCount": "120"}, {"h": "End"}]}}"""));
        assertThat(post.externalId()).isEqualTo("12");
        assertThat(post.sourceVersion()).isEqualTo(1763719200000L);
        assertThat(post.payload()).containsEntry("author_id", "3").containsEntry("status", "published")
                .containsEntry("published_on", "2026-11-21").containsEntry("reading_minutes", 7L)
                .containsEntry("tags", List.of("a", "b"))
                .containsEntry("sections", List.of(java.util.Map.of("heading", "Intro", "words", 120L),
                        java.util.Map.of("heading", "End", "words", 0L)));
    }

    @Test
    void jsonIsReadAsWellAsYaml() throws IOException {
        Path yaml = EXAMPLES.resolve("third-party-rest.yaml");
        String json = tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(
                tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readTree(Files.readString(yaml)));
        SourceDefinition fromJson = LOADER.read(json, SourceDefinitionLoader.Format.JSON, "third-party-rest.json");
        SourceDefinition fromYaml = LOADER.load(yaml);
        assertThat(fromJson.toString()).isEqualTo(fromYaml.toString());
        assertThat(SourceDefinitionLoader.Format.of(Path.of("x.JSON"))).isEqualTo(SourceDefinitionLoader.Format.JSON);
        assertThat(SourceDefinitionLoader.Format.of(Path.of("x.yml"))).isEqualTo(SourceDefinitionLoader.Format.YAML);
    }
}
