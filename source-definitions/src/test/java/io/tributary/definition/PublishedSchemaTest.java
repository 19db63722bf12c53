package io.tributary.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The published schema is itself valid JSON Schema 2020-12, and the classpath copy is the published file. */
class PublishedSchemaTest {

    @Test
    void theSchemaIsValidAgainstTheMetaSchemaAndIsTheOneOnTheClasspath() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        JsonNode published = json.readTree(Files.readString(Path.of("..", "docs", "schema", "source-definition.schema.json")));
        // the meta-schemas ship inside the validator's jar: no network
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(meta.validate(published)).isEmpty();
        try (var in = SourceDefinitionLoader.class.getResourceAsStream(SourceDefinitionLoader.SCHEMA_RESOURCE)) {
            assertThat(json.readTree(in)).isEqualTo(published);
        }
        // and the meta-schema does catch a broken schema (the check above can fail)
        assertThat(meta.validate(json.readTree("{\"type\": \"objekt\", \"required\": \"id\"}"))).isNotEmpty();
    }
}
