package io.tributary.admin;

import io.tributary.definition.DefinitionProblem;
import io.tributary.definition.SecretScope;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.SourceDefinitionLoader;
import io.tributary.definition.SourceDefinitionLoader.Format;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What the admin API checks in a definition before it is stored, every problem with its JSON path: the loader's
 * (schema, mappings, cross-field rules), its organization and id against the request path, its credential references
 * against the organization's secrets, and (validate only; PUT answers 409) whether another organization holds its id
 * (decision 0031). A body is JSON when its {@code Content-Type} says so, YAML otherwise.
 */
final class DefinitionChecks {

    private final SourceDefinitionLoader loader = new SourceDefinitionLoader();
    private final ObjectMapper json = JsonMapper.builder().build();
    private final ObjectMapper yaml = YAMLMapper.builder().build();
    private final ConfigStore store;
    private final AdminProperties properties;

    DefinitionChecks(ConfigStore store, AdminProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    /** Every problem of the definition {@code text} stored as {@code org}'s source {@code id} (null: any id). */
    List<DefinitionProblem> problems(String org, @Nullable String id, String text, @Nullable String contentType) {
        List<DefinitionProblem> problems = new ArrayList<>(loader.validate(text, format(contentType)));
        if (problems.isEmpty()) {
            JsonNode tree = tree(text, contentType);
            if (!org.equals(tree.path("organization").asString(""))) {
                problems.add(new DefinitionProblem("$.organization", "must be '" + org + "', the organization in the path"));
            }
            if (id != null && !id.equals(tree.path("id").asString(""))) {
                problems.add(new DefinitionProblem("$.id", "must be '" + id + "', the source id in the path"));
            }
            SourceDefinition definition = loader.read(text, format(contentType), "the definition");
            problems.addAll(SecretScope.of(org, properties.secretsEnvPrefix(), properties.secretsDirectory())
                    .problems(definition));
        }
        return problems;
    }

    /** {@link #problems} and, when there are none, whether the definition's id is another organization's. */
    List<DefinitionProblem> problemsBeforeStoring(String org, String text, @Nullable String contentType) {
        List<DefinitionProblem> problems = problems(org, null, text, contentType);
        if (problems.isEmpty()) {
            String id = tree(text, contentType).path("id").asString("");
            if (store.claimant(id).filter(holder -> !holder.equals(org)).isPresent()) {
                problems.add(new DefinitionProblem("$.id", taken(id)));
            }
        }
        return problems;
    }

    /** Says the id is taken without saying by whom: a token never learns another organization's name. */
    static String taken(String sourceId) {
        return "source id '" + sourceId + "' is already used by another organization. Source ids are global (they key "
                + "change events, main-database rows, checkpoints and /webhooks/{id}): choose another, e.g. one that "
                + "starts with your organization's id";
    }

    JsonNode tree(String text, @Nullable String contentType) {
        return format(contentType) == Format.JSON ? json.readTree(text) : yaml.readTree(text);
    }

    private static Format format(@Nullable String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json") ? Format.JSON : Format.YAML;
    }
}
