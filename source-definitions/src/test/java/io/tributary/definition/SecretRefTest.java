package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRefTest {

    @Test
    void resolvesFromTheEnvironmentOrAFileAndPrintsOnlyTheReference(@TempDir Path dir) throws Exception {
        SecretRef env = new SecretRef("${env:SHOP_TOKEN}");
        assertThat(env.resolve(Map.of("SHOP_TOKEN", "t0ken")::get)).isEqualTo("t0ken");
        Path file = Files.writeString(dir.resolve("secret"), "from-file\n");
        SecretRef fromFile = new SecretRef("${file:" + file + "}");
        assertThat(fromFile.resolve(name -> null)).isEqualTo("from-file");

        SourceDefinition definition = new SourceDefinitionLoader().read("""
                organization: acme
                id: shop
                kind: rest
                baseUrl: https://shop.example.com
                auth: {type: basic, username: shop, password: "${env:SHOP_PASSWORD}"}
                entities:
                  - name: items
                    endpoint: {path: /items}
                    mapping: {key: id, version: {source: v, format: integer}, fields: {id: {type: string, source: id, required: true}}}
                """, SourceDefinitionLoader.Format.YAML, "inline");
        assertThat(definition.toString()).contains("${env:SHOP_PASSWORD}");
        assertThat(((Auth.Basic) definition.auth()).password().resolve(Map.of("SHOP_PASSWORD", "hunter2")::get))
                .isEqualTo("hunter2");
    }

    @Test
    void refusesLiteralsWithoutEchoingThemAndNamesOnlyTheReferenceWhenUnset() {
        assertThatThrownBy(() -> new SecretRef("hunter2")).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> new SecretRef("${env:MISSING}").resolve(name -> null))
                .isInstanceOf(IllegalStateException.class).hasMessage("credential ${env:MISSING} is not set");
    }
}
