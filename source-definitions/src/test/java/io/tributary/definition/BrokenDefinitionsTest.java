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
}
