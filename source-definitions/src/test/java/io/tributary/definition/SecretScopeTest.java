package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An organization's definitions reach only its own secrets (decision 0031); the operator's reach any. */
class SecretScopeTest {

    private static final Map<String, String> ENVIRONMENT = Map.of(
            "TRIBUTARY_SECRET_ACME__TOKEN", "acme-token-value",
            "TRIBUTARY_SECRET_ACME_MUSIC__TOKEN", "acme-music-token-value",
            "DB_PASSWORD", "the-host-database-password");

    @Test
    void environmentVariablesMustCarryTheOrganizationsOwnPrefix() {
        SecretScope acme = SecretScope.of("acme", "TRIBUTARY_SECRET_", Path.of("/run/secrets/tributary"));
        assertThat(acme.resolve(new SecretRef("${env:TRIBUTARY_SECRET_ACME__TOKEN}"), ENVIRONMENT::get))
                .isEqualTo("acme-token-value");
        assertThat(acme.problem(new SecretRef("${env:DB_PASSWORD}"))).hasValueSatisfying(message -> assertThat(message)
                .contains("${env:DB_PASSWORD}").contains("TRIBUTARY_SECRET_ACME__<NAME>"));
        assertThatThrownBy(() -> acme.resolve(new SecretRef("${env:DB_PASSWORD}"), ENVIRONMENT::get))
                .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("the-host-database-password");
        // acme-music's variables share acme's text prefix but not its prefix: the double underscore ends the organization
        assertThat(acme.problem(new SecretRef("${env:TRIBUTARY_SECRET_ACME_MUSIC__TOKEN}"))).isPresent();
        SecretScope acmeMusic = SecretScope.of("acme-music", "TRIBUTARY_SECRET_", Path.of("/run/secrets/tributary"));
        assertThat(acmeMusic.resolve(new SecretRef("${env:TRIBUTARY_SECRET_ACME_MUSIC__TOKEN}"), ENVIRONMENT::get))
                .isEqualTo("acme-music-token-value");
        assertThat(acmeMusic.problem(new SecretRef("${env:TRIBUTARY_SECRET_ACME__TOKEN}"))).isPresent();
        // the prefix alone, or a name that could continue another organization's part, is not a secret of acme
        assertThat(acme.problem(new SecretRef("${env:TRIBUTARY_SECRET_ACME__}"))).isPresent();
        assertThat(acme.problem(new SecretRef("${env:TRIBUTARY_SECRET_ACME___X}"))).isPresent();
        // an id that could be read as another's (a--b is a, then "B__...") cannot own variables at all
        assertThat(SecretScope.of("a--b", "TRIBUTARY_SECRET_", Path.of("/s")).problem(new SecretRef("${env:TRIBUTARY_SECRET_A__B__X}")))
                .hasValueSatisfying(message -> assertThat(message).contains("cannot own environment variables"));
        // the root is configurable
        assertThat(SecretScope.of("acme", "TENANT_", Path.of("/s")).problem(new SecretRef("${env:TENANT_ACME__TOKEN}"))).isEmpty();
    }

    @Test
    void filesMustBeUnderTheOrganizationsDirectoryAfterNormalisationAndSymbolicLinks(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("secrets");
        Files.createDirectories(root.resolve("acme/nested"));
        Files.createDirectories(root.resolve("other"));
        Files.writeString(root.resolve("acme/nested/token"), "acme-file-secret\n");
        Files.writeString(root.resolve("other/token"), "other-file-secret");
        Path outside = Files.writeString(dir.resolve("host-secret"), "host-file-secret");
        Files.createSymbolicLink(root.resolve("acme/escape"), outside);
        Files.createSymbolicLink(root.resolve("acme/inside"), root.resolve("acme/nested/token"));
        SecretScope acme = SecretScope.of("acme", "TRIBUTARY_SECRET_", root);

        assertThat(acme.resolve(new SecretRef("${file:" + root + "/acme/nested/token}"), name -> null)).isEqualTo("acme-file-secret");
        assertThat(acme.resolve(new SecretRef("${file:" + root + "/acme/./nested/token}"), name -> null)).isEqualTo("acme-file-secret");
        assertThat(acme.resolve(new SecretRef("${file:" + root + "/acme/inside}"), name -> null))
                .as("a link that stays inside").isEqualTo("acme-file-secret");
        for (String escaping : new String[] {outside.toString(), root + "/other/token", root + "/acme/../other/token",
                root + "/acme", "relative/acme/token", root + "/acme-music/token"}) {
            SecretRef ref = new SecretRef("${file:" + escaping + "}");
            assertThat(acme.problem(ref)).as(escaping).isPresent();
            assertThatThrownBy(() -> acme.resolve(ref, name -> null)).as(escaping)
                    .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("file-secret");
        }
        SecretRef link = new SecretRef("${file:" + root + "/acme/escape}");
        assertThat(acme.problem(link)).as("judged on its text, a link looks inside").isEmpty();
        assertThatThrownBy(() -> acme.resolve(link, name -> null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("symbolic link").hasMessageNotContaining("host-file-secret");
        assertThatThrownBy(() -> acme.resolve(new SecretRef("${file:" + root + "/acme/missing}"), name -> null))
                .hasMessageContaining("cannot be read");

        // the operator's own definitions reach anything
        assertThat(SecretScope.unrestricted().resolve(new SecretRef("${file:" + outside + "}"), name -> null)).isEqualTo("host-file-secret");
        assertThat(SecretScope.unrestricted().resolve(new SecretRef("${env:DB_PASSWORD}"), ENVIRONMENT::get))
                .isEqualTo("the-host-database-password");
        assertThatThrownBy(() -> SecretScope.of("acme", "TRIBUTARY_SECRET_", Path.of("relative")))
                .hasMessageContaining("absolute");
        assertThatThrownBy(() -> SecretScope.of("acme", "TRIBUTARY SECRET", root)).hasMessageContaining("prefix");
    }

    @Test
    void everyReferenceOfADefinitionIsCheckedAtItsJsonPath() {
        SourceDefinition definition = new SourceDefinitionLoader().read("""
                organization: acme
                id: shop
                kind: rest
                baseUrl: https://shop.example.com
                auth: {type: oauth2-client-credentials, tokenUrl: https://evil.example.com/token, clientId: x,
                       clientSecret: "${env:AWS_SECRET_ACCESS_KEY}"}
                sync: {mode: two-way}
                webhooks:
                  inbound: {scheme: standard-webhooks, secrets: ["${env:TRIBUTARY_SECRET_ACME__HOOK}", "${file:/etc/shadow}"],
                            events: {"item.": items}}
                  outbound:
                    - {entity: items, url: https://shop.example.com/hooks, on: [create], secret: "${env:TRIBUTARY_SECRET_ACME__OUT}",
                       auth: {type: bearer, token: "${file:/run/secrets/tributary/other/token}"}}
                entities:
                  - name: items
                    endpoint: {path: /items, itemPath: "/items/{id}", query: {api-key: "${env:HOME}", sig: "${env:TRIBUTARY_SECRET_ACME__SIG}"}}
                    mapping: {key: id, version: {source: v, format: integer}, fields: {id: {type: string, source: id, required: true},
                              name: {type: string, source: name}}}
                    target: {table: items, columns: [{name: name, type: text}]}
                """, SourceDefinitionLoader.Format.YAML, "inline");
        SecretScope acme = SecretScope.of("acme", "TRIBUTARY_SECRET_", Path.of("/run/secrets/tributary"));
        assertThat(acme.problems(definition)).extracting(DefinitionProblem::path).containsExactly(
                "$.auth.clientSecret", "$.entities[0].endpoint.query['api-key']", "$.webhooks.inbound.secrets[1]",
                "$.webhooks.outbound[0].auth.token");
        assertThat(SecretScope.unrestricted().problems(definition)).isEmpty();
        assertThat(SecretScope.references(definition)).hasSize(7);
    }

    /** The admin API checks the parsed tree (whatever else is wrong); the services check the bound definition: alike. */
    @Test
    void theReferencesOfTheTreeAreThoseOfTheBoundDefinition() throws Exception {
        SourceDefinitionLoader loader = new SourceDefinitionLoader();
        try (var examples = java.nio.file.Files.list(Path.of("..", "examples"))) {
            for (Path example : examples.filter(file -> file.toString().endsWith(".yaml")).toList()) {
                var tree = tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readTree(java.nio.file.Files.readString(example));
                assertThat(SecretScope.references(tree)).as(example.toString())
                        .isEqualTo(SecretScope.references(loader.load(example))).isNotEmpty();
            }
        }
    }
}
