package io.tributary.admin;

import io.tributary.definition.DefinitionProblem;
import io.tributary.definition.SecretScope;
import io.tributary.definition.SourceDefinitionLoader;
import io.tributary.definition.SourceDefinitionLoader.Format;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What the admin API checks in a definition before it is stored, every problem with its JSON path, de-duplicated and
 * sorted by path: the loader's (schema, credentials written in clear, mappings, cross-field rules), its organization
 * and id against the request path, its credential references against the organization's secrets, and (validate only;
 * PUT answers 409) whether another organization holds its id or one of its entities (decision 0031). Each check runs
 * whenever the parsed document holds what it reads, whatever the others found (decision 0034). A body is JSON when
 * its {@code Content-Type} says so, YAML otherwise.
 */
final class DefinitionChecks {

    /** The parsed definition (null when the body is not YAML or JSON, or empty) and every problem found in it. */
    record Checked(@Nullable JsonNode tree, List<DefinitionProblem> problems) {
    }

    private final SourceDefinitionLoader loader = new SourceDefinitionLoader();
    private final ConfigStore store;
    private final AdminProperties properties;

    DefinitionChecks(ConfigStore store, AdminProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    /**
     * The definition {@code text} to store as {@code org}'s source {@code id}, and its problems. Names held by another
     * organization are left to the store, which checks them under its lock when it stores (409).
     */
    Checked check(String org, String id, String text, @Nullable String contentType) {
        return check(org, id, text, contentType, false);
    }

    /** The problems of the definition {@code text} as {@code org}'s (any id), names held by another one included. */
    List<DefinitionProblem> problemsBeforeStoring(String org, String text, @Nullable String contentType) {
        return check(org, null, text, contentType, true).problems();
    }

    private Checked check(String org, @Nullable String id, String text, @Nullable String contentType, boolean claims) {
        List<DefinitionProblem> problems = new ArrayList<>();
        JsonNode tree = loader.parse(text, format(contentType), problems);
        if (tree != null) {
            problems.addAll(loader.validate(tree));
            JsonNode organization = tree.path("organization");
            if (organization.isString() && !org.equals(organization.asString())) {
                problems.add(new DefinitionProblem("$.organization", "must be '" + org + "', the organization in the path"));
            }
            JsonNode named = tree.path("id");
            if (id != null && named.isString() && !id.equals(named.asString())) {
                problems.add(new DefinitionProblem("$.id", "must be '" + id + "', the source id in the path"));
            }
            problems.addAll(SecretScope.of(org, properties.secretsEnvPrefix(), properties.secretsDirectory()).problems(tree));
            if (claims) {
                store.taken(org, tree).forEach(taken -> problems.add(new DefinitionProblem(taken.path(), taken(taken))));
            }
        }
        return new Checked(tree, DefinitionProblem.sorted(problems));
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

    private static Format format(@Nullable String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json") ? Format.JSON : Format.YAML;
    }
}
