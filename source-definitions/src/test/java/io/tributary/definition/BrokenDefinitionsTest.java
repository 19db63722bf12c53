package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each file in {@code src/test/resources/broken} starts with {@code # expect: <JSON path> | <message part>}:
 * the loader must report that problem, at that path, and refuse the definition.
 */
class BrokenDefinitionsTest {

    private static final Path BROKEN = Path.of("src", "test", "resources", "broken");
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\S+) \\| (.+)");
    private static final SourceDefinitionLoader LOADER = new SourceDefinitionLoader();

    static Stream<Path> broken() throws IOException {
        try (Stream<Path> files = Files.list(BROKEN)) {
            List<Path> all = files.sorted().toList();
            assertThat(all).hasSizeGreaterThan(20);
            return all.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void broken(Path file) throws IOException {
        String text = Files.readString(file);
        Matcher expect = EXPECT.matcher(text.lines().findFirst().orElseThrow());
        assertThat(expect.matches()).as("first line of %s names the expected problem", file).isTrue();
        List<DefinitionProblem> problems = LOADER.validate(text, SourceDefinitionLoader.Format.YAML);
        assertThat(problems).as("problems of %s", file).anySatisfy(problem -> {
            assertThat(problem.path()).isEqualTo(expect.group(1));
            assertThat(problem.message()).contains(expect.group(2));
        });
        assertThatThrownBy(() -> LOADER.load(file)).isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining(expect.group(1) + ": ");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<DefinitionProblem> problems = LOADER.validate("""
                organization: Bad Org
                id: ok
                kind: rest
                baseUrl: ftp://nope
                auth: {type: bearer, token: plain}
                entities:
                  - name: Items
                    mapping: {key: id, version: {source: v, format: integer}, fields: {id: {type: string, source: id}}}
                """, SourceDefinitionLoader.Format.YAML);
        assertThat(problems).extracting(DefinitionProblem::path)
                .contains("$.organization", "$.baseUrl", "$.auth.token", "$.entities[0].name");
    }

    @Test
    void aLiteralCredentialIsNeverEchoed() {
        String secret = "sk_live_0123456789abcdef";
        List<DefinitionProblem> problems = LOADER.validate("""
                organization: acme
                id: shop
                kind: rest
                baseUrl: https://shop.example.com
                auth: {type: bearer, token: %s}
                entities:
                  - name: items
                    endpoint: {path: /items}
                    mapping: {key: id, version: {source: v, format: integer}, fields: {id: {type: string, source: id, required: true}}}
                """.formatted(secret), SourceDefinitionLoader.Format.YAML);
        assertThat(problems).extracting(DefinitionProblem::path).containsExactly("$.auth.token");
        assertThat(problems.toString()).doesNotContain(secret);
    }

    @Test
    void aDocumentThatDoesNotParseIsNotQuotedBack() {
        List<DefinitionProblem> problems = LOADER.validate("organization: acme\nauth: {token: sk_live_abcdef, [\n",
                SourceDefinitionLoader.Format.YAML);
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("$");
            assertThat(problem.message()).startsWith("not valid YAML at line").doesNotContain("sk_live_abcdef");
        });
        assertThat(LOADER.validate("{\"organization\": ", SourceDefinitionLoader.Format.JSON))
                .extracting(DefinitionProblem::message).singleElement().asString().startsWith("not valid JSON at line");
    }

    @Test
    void credentialsInAUrlOrALiteralQueryAreRefusedAtTheirPathWithoutEchoingThem() {
        List<DefinitionProblem> problems = LOADER.validate("""
                organization: acme
                id: shop
                kind: rest
                baseUrl: https://reader:pa55word@shop.example.com/api
                entities:
                  - name: items
                    endpoint: {path: /items, query: {status: active, key: sk_live_abc, accessToken: "${env:TRIBUTARY_SECRET_ACME__T}"}}
                    mapping: {key: id, version: {source: v, format: integer}, fields: {id: {type: string, source: id, required: true}}}
                """, SourceDefinitionLoader.Format.YAML);
        // one problem each (the schema's pattern error on the URL is left to the precise message), nothing quoted
        assertThat(problems).extracting(DefinitionProblem::path)
                .containsExactly("$.baseUrl", "$.entities[0].endpoint.query.key");
        assertThat(problems.get(0).message()).contains("auth").contains("${env:NAME}");
        assertThat(problems.toString()).doesNotContain("pa55word").doesNotContain("sk_live_abc");
        // userinfo is what is refused; an '@' in the path is not userinfo
        assertThat(LiteralCredentials.hasUserInfo("https://shop.example.com/users/@me")).isFalse();
        assertThat(LiteralCredentials.hasUserInfo("https://token@shop.example.com")).isTrue();
        assertThat(List.of("api_key", "apiKey", "X-Api-Key", "key", "token", "access_token", "client_secret", "password",
                "sig", "signature", "auth", "oauth_signature", "user_token", "consumer_key", "private_key")).allMatch(LiteralCredentials::credentialName);
        assertThat(List.of("status", "monkey", "keyword", "per_page", "q", "sort", "fields", "updated_since",
                "sort_key", "group_key", "author_id"))
                .noneMatch(LiteralCredentials::credentialName);
    }

    @Test
    void aQueryCredentialGivenAsAReferenceIsAcceptedAndScopedLikeAnyOther() {
        SourceDefinition definition = LOADER.read("""
                organization: acme
                id: shop
                kind: rest
                baseUrl: https://shop.example.com/api
                entities:
                  - name: items
                    endpoint: {path: /items, query: {status: active, api_key: "${env:DB_PASSWORD}"}}
                    mapping: {key: id, version: {source: v, format: integer}, fields: {id: {type: string, source: id, required: true}}}
                """, SourceDefinitionLoader.Format.YAML, "inline");
        EntitySource.Endpoint endpoint = definition.entities().get(0).endpoint();
        assertThat(endpoint.plainQuery()).containsExactly(java.util.Map.entry("status", "active"));
        assertThat(endpoint.secretQuery()).containsOnlyKeys("api_key");
        SecretScope acme = SecretScope.of("acme", "TRIBUTARY_SECRET_", Path.of("/run/secrets/tributary"));
        assertThat(acme.problems(definition)).extracting(DefinitionProblem::path)
                .containsExactly("$.entities[0].endpoint.query.api_key");
    }

    /** Decision 0034: every stage that can still run reports, de-duplicated and sorted by path. */
    @Test
    void everyStageThatCanRunReportsItsProblemsSortedByPath() {
        // the schema refuses entity 0's mapping and the organization; entity 1's mapping, sound for the schema, is
        // parsed still (its key is not a field); the rules need every mapping, so they wait
        List<DefinitionProblem> mappingStage = LOADER.validate("""
                organization: Bad Org
                id: shop
                kind: rest
                baseUrl: https://shop.example.com
                entities:
                  - name: items
                    endpoint: {path: /items}
                    mapping: {key: id, version: {source: v, format: integer}, fields: {id: {type: strang, source: id}}}
                  - name: others
                    endpoint: {path: /others, query: {token: plain}}
                    mapping: {key: nope, version: {source: v, format: integer}, fields: {id: {type: string, source: id}}}
                """, SourceDefinitionLoader.Format.YAML);
        assertThat(mappingStage).extracting(DefinitionProblem::path).containsExactly(
                "$.entities[0].mapping.fields.id.type", "$.entities[1].endpoint.query.token",
                "$.entities[1].mapping.key", "$.organization");

        // the schema refuses the organization and the base URL, the definition still binds: the rules run too
        List<DefinitionProblem> rulesStage = LOADER.validate("""
                organization: Bad Org
                id: shop
                kind: rest
                baseUrl: ftp://shop.example.com
                retry: {initialBackoff: 10s, maxBackoff: 1s}
                entities:
                  - name: items
                    endpoint: {path: /items}
                    mapping: {key: id, version: {source: v, format: integer}, fields: {id: {type: string, source: id,
                              required: true}, name: {type: string, source: name}}}
                    target: {table: item, columns: [{name: name, type: text}]}
                """, SourceDefinitionLoader.Format.YAML);
        assertThat(rulesStage).extracting(DefinitionProblem::path).containsExactly(
                "$.baseUrl", "$.entities[0].target.table", "$.organization", "$.retry.maxBackoff");
        assertThat(rulesStage).doesNotHaveDuplicates();
    }

    @Test
    void problemsAreSortedByPathWithIndicesAsNumbersAndWithoutRepeats() {
        DefinitionProblem second = new DefinitionProblem("$.entities[2].name", "b");
        DefinitionProblem tenth = new DefinitionProblem("$.entities[10].name", "a");
        DefinitionProblem root = new DefinitionProblem("$", "c");
        assertThat(DefinitionProblem.sorted(List.of(tenth, second, root, second)))
                .containsExactly(root, second, tenth);
    }
}
