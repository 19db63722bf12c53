package io.tributary.writer.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.definition.EntitySource;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.SourceDefinitionLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ReverseMappingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static EntitySource entity(String fields) {
        String yaml = """
                organization: acme
                id: shop
                kind: rest
                baseUrl: http://localhost:1
                sync: {mode: two-way}
                entities:
                  - name: products
                    endpoint: {path: /products, itemPath: "/products/{id}"}
                    mapping:
                      key: id
                      version: {source: meta.updated, format: iso-instant}
                      fields:
                        id: {type: string, source: id, required: true}
                %s
                    target:
                      table: products
                      columns: [COLUMNS]
                    delivery:
                      create: {path: /products}
                      update: {path: "/products/{id}"}
                      delete: {path: "/products/{id}"}
                """.formatted(fields);
        StringBuilder columns = new StringBuilder();
        fields.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(line -> {
            String name = line.substring(0, line.indexOf(':'));
            String type = line.contains("boolean") ? "boolean" : line.contains("object") ? "json" : "text";
            columns.append(columns.isEmpty() ? "" : ", ").append("{name: ").append(name).append(", type: ").append(type).append('}');
        });
        SourceDefinition definition = new SourceDefinitionLoader().read(yaml.replace("COLUMNS", columns),
                SourceDefinitionLoader.Format.YAML, "test");
        return definition.entities().get(0);
    }

    @Test
    void eachFieldGoesWhereItsSourcePathSaysNestedPathsBecomeNestedObjects() {
        EntitySource products = entity("""
                        title: {type: string, source: title, transforms: [trim]}
                        price: {type: string, source: pricing.amount}
                        currency: {type: string, source: pricing.currency}
                        note: {type: string, source: note}
                """);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("title", "Blue Train");
        fields.put("price", "12.50");
        fields.put("currency", "EUR");
        fields.put("note", null);

        assertThat(ReverseMapping.body(products, fields)).isEqualTo(JSON.readTree("""
                {"title": "Blue Train", "pricing": {"amount": "12.50", "currency": "EUR"}, "note": null}"""));
    }

    @Test
    void theKeyAndFieldsTheChangeDoesNotCarryAreLeftOutSqliteBooleansAndJsonTextAreTyped() {
        EntitySource products = entity("""
                        active: {type: boolean, source: flags.active}
                        attributes: {type: object, source: attributes}
                        title: {type: string, source: title}
                """);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", "must-not-be-sent");
        fields.put("active", 1);
        fields.put("attributes", "{\"colour\":\"blue\"}");

        assertThat(ReverseMapping.body(products, fields)).isEqualTo(JSON.readTree("""
                {"flags": {"active": true}, "attributes": {"colour": "blue"}}"""));
    }

    @Test
    void theMusicExampleSendsNameArtistAndAlbum() {
        EntitySource items = new SourceDefinitionLoader().load(Path.of("..", "examples", "music-inventory.yaml")).entities().get(0);
        assertThat(ReverseMapping.body(items, Map.of("name", "So What", "artist", "Miles Davis", "album", "Kind of Blue")))
                .isEqualTo(JSON.readTree("""
                        {"name": "So What", "artist": "Miles Davis", "album": "Kind of Blue"}"""));
    }

    /** A webhook's data names its record: the key goes where the key field's source path says, nested if need be. */
    @Test
    void aWebhooksDataCarriesTheKeyAtItsSourcePathAndTheEnvelopeIsTheStandardWebhooksOne() {
        EntitySource items = new SourceDefinitionLoader().load(Path.of("..", "examples", "music-inventory-webhooks.yaml"))
                .entities().get(0);
        var data = ReverseMapping.withKey(items, ReverseMapping.body(items, Map.of("name", "So What")), "mu-7");
        assertThat(data).isEqualTo(JSON.readTree("""
                {"name": "So What", "id": "mu-7"}"""));
        var change = io.tributary.model.outbound.LocalChange.of("music-faker-hooks", "music_items", 7, "mu-7",
                io.tributary.model.outbound.LocalOperation.UPDATE, 1, java.time.Instant.parse("2026-11-22T10:00:00.123Z"),
                1, Map.of("name", "So What"));
        assertThat(JSON.readTree(OutboundWebhook.body("music.updated", change, data))).isEqualTo(JSON.readTree("""
                {"type": "music.updated", "timestamp": "2026-11-22T10:00:00.123Z", "data": {"name": "So What", "id": "mu-7"}}"""));

        EntitySource numbered = new SourceDefinitionLoader().read("""
                organization: acme
                id: shop
                kind: rest
                baseUrl: http://localhost:1
                sync: {mode: two-way, conflict: local-wins}
                webhooks:
                  outbound: [{entity: products, url: "http://localhost:1/hooks", on: [delete], secret: "${env:S}"}]
                entities:
                  - name: products
                    endpoint: {path: /products}
                    mapping:
                      key: id
                      version: {source: rev, format: integer}
                      fields:
                        id: {type: string, source: product.id, required: true}
                        title: {type: string, source: title}
                    target: {table: products, columns: [{name: title, type: text}]}
                """, SourceDefinitionLoader.Format.YAML, "test").entities().get(0);
        assertThat(ReverseMapping.withKey(numbered, ReverseMapping.empty(), "42"))
                .isEqualTo(JSON.readTree("{\"product\": {\"id\": \"42\"}}"));
    }
}
