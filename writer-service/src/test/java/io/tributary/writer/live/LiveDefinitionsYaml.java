package io.tributary.writer.live;

import io.tributary.definition.SourceDefinition;
import io.tributary.definition.SourceDefinitionLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Small source definitions for the live tests: one organization, a fake base URL, entities given as
 * {@code name: column:type[:required][>referenced], ...}; every column is a mapped string, integer, number, boolean
 * or array field of the same name.
 */
final class LiveDefinitionsYaml {

    private static final SourceDefinitionLoader LOADER = new SourceDefinitionLoader();

    private LiveDefinitionsYaml() {
    }

    /** E.g. {@code yaml("shop", "artists: name:text:required", "items: name:text, artist_id:reference>artists")}. */
    static String yaml(String sourceId, String... entities) {
        StringBuilder yaml = new StringBuilder("""
                organization: acme
                id: %s
                kind: rest
                baseUrl: https://api.example.com
                entities:
                """.formatted(sourceId));
        for (String entity : entities) {
            String name = entity.substring(0, entity.indexOf(':')).strip();
            List<String[]> columns = new ArrayList<>();
            for (String column : entity.substring(entity.indexOf(':') + 1).split(",")) {
                columns.add(column.strip().split("[:>]"));
            }
            yaml.append("  - name: ").append(name).append('\n')
                    .append("    endpoint: {path: /").append(name).append("}\n")
                    .append("    mapping:\n      key: id\n      version: {source: v, format: integer}\n      fields:\n")
                    .append("        id: {type: string, source: id, required: true}\n");
            for (String[] column : columns) {
                boolean required = column.length > 2 && column[2].equals("required");
                yaml.append("        ").append(column[0]).append(": {type: ").append(fieldType(column[1]))
                        .append(", source: ").append(column[0]).append(required ? ", required: true" : "").append("}\n");
            }
            yaml.append("    target:\n      table: ").append(name).append("\n      columns:\n");
            for (String[] column : columns) {
                boolean required = column.length > 2 && column[2].equals("required");
                String references = column[1].equals("reference") ? column[column.length - 1] : null;
                yaml.append("        - {name: ").append(column[0]).append(", type: ").append(column[1])
                        .append(required ? ", required: true" : "")
                        .append(references != null ? ", references: " + references : "").append("}\n");
            }
        }
        return yaml.toString();
    }

    static SourceDefinition definition(String sourceId, String... entities) {
        return LOADER.read(yaml(sourceId, entities), SourceDefinitionLoader.Format.YAML, sourceId);
    }

    private static String fieldType(String columnType) {
        return switch (columnType) {
            case "integer" -> "integer";
            case "number" -> "number";
            case "boolean" -> "boolean";
            case "json" -> "any";
            default -> "string"; // text, timestamp, reference
        };
    }
}
