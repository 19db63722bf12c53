package io.tributary.admin;

import io.tributary.definition.DefinitionProblem;
import io.tributary.definition.SecretScope;
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
 * What the admin API checks in a definition before it is stored, every problem with its JSON path, de-duplicated and
 * sorted by path: the loader's (schema, credentials written in clear, mappings, cross-field rules), its organization
 * and id against the request path, its credential references against the organization's secrets, and (validate only;
 * PUT answers 409) whether another organization holds its id or one of its entities (decision 0031). Each check runs
 * whenever the parsed document holds what it reads, whatever the others found (decision 0034). A body is JSON when
 * its {@code Content-Type} says so, YAML otherwise.
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
        List<DefinitionProblem> problems = new ArrayList<>();
        JsonNode tree = loader.parse(text, format(contentType), problems);
        if (tree != null) {
            problems.addAll(problems(org, id, tree));
        }
        return DefinitionProblem.sorted(problems);
    }

    private List<DefinitionProblem> problems(String org, @Nullable String id, JsonNode tree) {
        List<DefinitionProblem> problems = new ArrayList<>(loader.validate(tree));
        JsonNode organization = tree.path("organization");
        if (organization.isString() && !org.equals(organization.asString())) {
            problems.add(new DefinitionProblem("$.organization", "must be '" + org + "', the organization in the path"));
        }
        JsonNode named = tree.path("id");
        if (id != null && named.isString() && !id.equals(named.asString())) {
            problems.add(new DefinitionProblem("$.id", "must be '" + id + "', the source id in the path"));
        }
        problems.addAll(SecretScope.of(org, properties.secretsEnvPrefix(), properties.secretsDirectory()).problems(tree));
        return problems;
    }

    /** {@link #problems} and whether the definition's id or one of its entities is another organization's. */
    List<DefinitionProblem> problemsBeforeStoring(String org, String text, @Nullable String contentType) {
        List<DefinitionProblem> problems = new ArrayList<>();
        JsonNode tree = loader.parse(text, format(contentType), problems);
        if (tree == null) {
            return problems;
        }
        problems.addAll(problems(org, null, tree));
        JsonNode id = tree.path("id");
        if (id.isString()) {
            takenBy(Claims.Kind.SOURCE_ID, id.asString(), "$.id", org).ifPresent(problems::add);
        }
        List<String> entities = Claims.entityNames(tree);
        for (int i = 0; i < entities.size(); i++) {
            takenBy(Claims.Kind.ENTITY, entities.get(i), "$.entities[" + i + "].name", org).ifPresent(problems::add);
        }
        return DefinitionProblem.sorted(problems);
    }

    private java.util.Optional<DefinitionProblem> takenBy(Claims.Kind kind, String name, String path, String org) {
        return store.holder(kind, name).filter(holder -> !holder.equals(org))
                .map(holder -> new DefinitionProblem(path, taken(new Claims.Taken(kind, name, path))));
    }

    /** Says the name is taken without saying by whom: a token never learns another organization's name. */
    static String taken(Claims.Taken taken) {
        return switch (taken.kind()) {
            case SOURCE_ID -> "source id '" + taken.name() + "' is already used by another organization. Source ids are "
                    + "global (they key change events, main-database rows, checkpoints and /webhooks/{id}): choose "
                    + "another, e.g. one that starts with your organization's id";
            case ENTITY -> "entity '" + taken.name() + "' is already used by another organization. An entity is a table "
                    + "of the main database (and the topic tributary.changes." + taken.name() + "), and its rows belong "
                    + "to one organization: choose another name (and table), e.g. one that starts with your "
                    + "organization's id";
        };
    }

    JsonNode tree(String text, @Nullable String contentType) {
        return format(contentType) == Format.JSON ? json.readTree(text) : yaml.readTree(text);
    }

    private static Format format(@Nullable String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json") ? Format.JSON : Format.YAML;
    }
}
