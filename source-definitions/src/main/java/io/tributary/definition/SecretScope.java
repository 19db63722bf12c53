package io.tributary.definition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Where a definition's credential references may point (decision 0031). A definition stored through the admin API
 * belongs to an organization and may only name that organization's secrets: environment variables named
 * {@code <envPrefix><ORG>__<NAME>} (the organization id upper-cased, {@code -} as {@code _}; the double underscore
 * ends the organization's part, so {@code acme} cannot reach {@code acme-music}'s variables) and files under
 * {@code <directory>/<org>/}, after normalisation and after following symbolic links. Otherwise a tenant could name
 * {@code ${env:DB_PASSWORD}} or {@code ${file:/etc/shadow}} and point its base URL at its own server. A definition
 * the operator configures as a file keeps full access ({@link #unrestricted()}). Messages name the reference and
 * the rule, never a value.
 *
 * @param organization the organization whose secrets are allowed; null: any reference (the operator's own files)
 * @param envPrefix    the prefix an environment variable must have; null when unrestricted
 * @param directory    the directory a file must be under (absolute, normalised); null when unrestricted
 */
public record SecretScope(@Nullable String organization, @Nullable String envPrefix, @Nullable Path directory) {

    /** Organization ids whose upper-cased form cannot be confused with another's: no "--", no trailing "-". */
    private static final Pattern UNAMBIGUOUS = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern PREFIX_ROOT = Pattern.compile("[A-Za-z0-9_]+");

    public SecretScope {
        if ((organization == null) != (envPrefix == null) || (organization == null) != (directory == null)) {
            throw new IllegalArgumentException("a secret scope names an organization, an env prefix and a directory, or none");
        }
    }

    /** Any reference: for definitions the operator configures. */
    public static SecretScope unrestricted() {
        return new SecretScope(null, null, null);
    }

    /**
     * The secrets of {@code organization}: variables {@code <envPrefixRoot><ORG>__*}, files under
     * {@code <secretsDirectory>/<organization>/}.
     */
    public static SecretScope of(String organization, String envPrefixRoot, Path secretsDirectory) {
        checkRoots(envPrefixRoot, secretsDirectory);
        return new SecretScope(organization, envPrefixRoot + organization.toUpperCase(Locale.ROOT).replace('-', '_') + "__",
                secretsDirectory.toAbsolutePath().normalize().resolve(organization));
    }

    /** Fails naming the problem when the roots cannot scope anything (a start-up check for the services' settings). */
    public static void checkRoots(String envPrefixRoot, Path secretsDirectory) {
        if (!PREFIX_ROOT.matcher(envPrefixRoot).matches()) {
            throw new IllegalArgumentException("the secrets' environment prefix must be letters, digits and '_', was '"
                    + envPrefixRoot + "'");
        }
        if (!secretsDirectory.isAbsolute()) {
            throw new IllegalArgumentException("the secrets directory must be an absolute path, was '" + secretsDirectory + "'");
        }
    }

    public boolean restricted() {
        return organization != null;
    }

    /** Every credential reference of {@code definition}, by its JSON path. */
    public static Map<String, SecretRef> references(SourceDefinition definition) {
        Map<String, SecretRef> found = new LinkedHashMap<>();
        auth(definition.auth(), "$.auth", found);
        for (int i = 0; i < definition.entities().size(); i++) {
            EntitySource.Endpoint endpoint = definition.entities().get(i).endpoint();
            if (endpoint != null) {
                String path = "$.entities[" + i + "].endpoint.query";
                endpoint.secretQuery().forEach((name, ref) -> found.put(JsonPath.property(path, name), ref));
            }
        }
        Webhooks.Inbound inbound = definition.webhooks().inbound();
        if (inbound != null) {
            for (int i = 0; i < inbound.secrets().size(); i++) {
                found.put("$.webhooks.inbound.secrets[" + i + "]", inbound.secrets().get(i));
            }
        }
        for (int j = 0; j < definition.webhooks().outbound().size(); j++) {
            Webhooks.Outbound outbound = definition.webhooks().outbound().get(j);
            found.put("$.webhooks.outbound[" + j + "].secret", outbound.secret());
            auth(outbound.auth(), "$.webhooks.outbound[" + j + "].auth", found);
        }
        return found;
    }

    private static void auth(Auth auth, String path, Map<String, SecretRef> found) {
        if (auth instanceof Auth.Bearer bearer) {
            found.put(path + ".token", bearer.token());
        } else if (auth instanceof Auth.Basic basic) {
            found.put(path + ".password", basic.password());
        } else if (auth instanceof Auth.ApiKey key) {
            found.put(path + ".value", key.value());
        } else if (auth instanceof Auth.OAuth2ClientCredentials oauth) {
            found.put(path + ".clientSecret", oauth.clientSecret());
        }
    }

    /**
     * Every credential reference of a parsed definition, by its JSON path, read from the places
     * {@link #references(SourceDefinition)} reads, whatever else is wrong with the definition (the admin API's
     * validation reports these problems beside the schema's). A value that is not a well-formed reference is not one:
     * the schema or the credential check reports it.
     */
    public static Map<String, SecretRef> references(JsonNode tree) {
        Map<String, SecretRef> found = new LinkedHashMap<>();
        auth(tree.path("auth"), "$.auth", found);
        JsonNode entities = tree.path("entities");
        for (int i = 0; i < entities.size(); i++) {
            String path = "$.entities[" + i + "].endpoint.query";
            JsonNode query = entities.path(i).path("endpoint").path("query");
            if (query.isObject()) {
                query.properties().forEach(entry -> reference(entry.getValue(), JsonPath.property(path, entry.getKey()), found));
            }
        }
        JsonNode secrets = tree.path("webhooks").path("inbound").path("secrets");
        for (int i = 0; i < secrets.size(); i++) {
            reference(secrets.path(i), "$.webhooks.inbound.secrets[" + i + "]", found);
        }
        JsonNode outbound = tree.path("webhooks").path("outbound");
        for (int j = 0; j < outbound.size(); j++) {
            reference(outbound.path(j).path("secret"), "$.webhooks.outbound[" + j + "].secret", found);
            auth(outbound.path(j).path("auth"), "$.webhooks.outbound[" + j + "].auth", found);
        }
        return found;
    }

    private static void auth(JsonNode auth, String path, Map<String, SecretRef> found) {
        for (String property : List.of("token", "password", "value", "clientSecret")) {
            reference(auth.path(property), path + "." + property, found);
        }
    }

    private static void reference(JsonNode node, String path, Map<String, SecretRef> found) {
        if (node.isString() && SecretRef.isReference(node.asString())) {
            found.put(path, new SecretRef(node.asString()));
        }
    }

    /** Every reference of {@code definition} outside this scope, at its JSON path (empty when unrestricted). */
    public List<DefinitionProblem> problems(SourceDefinition definition) {
        return problems(references(definition));
    }

    /** As {@link #problems(SourceDefinition)}, for a parsed definition that may have other problems too. */
    public List<DefinitionProblem> problems(JsonNode tree) {
        return problems(references(tree));
    }

    private List<DefinitionProblem> problems(Map<String, SecretRef> references) {
        List<DefinitionProblem> problems = new ArrayList<>();
        references.forEach((path, ref) -> problem(ref).ifPresent(message ->
                problems.add(new DefinitionProblem(path, message))));
        return problems;
    }

    /** Why {@code ref} is outside this scope, judged on its text (no file is read); empty when it is inside. */
    public Optional<String> problem(SecretRef ref) {
        if (organization == null || envPrefix == null || directory == null) {
            return Optional.empty();
        }
        if (ref.scheme().equals("env")) {
            if (!UNAMBIGUOUS.matcher(organization).matches()) {
                return Optional.of(ref + ": organization '" + organization + "' cannot own environment variables (its id "
                        + "has '--' or ends with '-', so its prefix could be another organization's); use a file under "
                        + directory + "/");
            }
            String name = ref.name();
            if (!name.startsWith(envPrefix) || name.length() == envPrefix.length()
                    || !Character.isLetterOrDigit(name.charAt(envPrefix.length()))) {
                return Optional.of(ref + " is not one of organization " + organization + "'s secrets: an environment "
                        + "variable must be named " + envPrefix + "<NAME>");
            }
            return Optional.empty();
        }
        Path path = Path.of(ref.name());
        if (!path.isAbsolute()) {
            return Optional.of(ref + " is not an absolute path; organization " + organization + "'s secret files are under "
                    + directory + "/");
        }
        Path normal = path.normalize();
        if (!normal.startsWith(directory) || normal.equals(directory)) {
            return Optional.of(ref + " is not one of organization " + organization + "'s secrets: a file must be under "
                    + directory + "/");
        }
        return Optional.empty();
    }

    /**
     * The credential {@code ref} names, if it is inside this scope: the variable's value from {@code environment},
     * or the file's content, trimmed, when the file (symbolic links followed) is under the organization's
     * directory (links followed too). Throws {@link IllegalStateException} naming the reference, never a value.
     */
    public String resolve(SecretRef ref, UnaryOperator<@Nullable String> environment) {
        Optional<String> outside = problem(ref);
        if (outside.isPresent()) {
            throw new IllegalStateException("credential " + outside.get());
        }
        if (ref.scheme().equals("env")) {
            String value = environment.apply(ref.name());
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException("credential " + ref + " is not set");
            }
            return value;
        }
        try {
            Path file = Path.of(ref.name()).toRealPath();
            if (directory != null && !file.startsWith(directory.toRealPath())) {
                throw new IllegalStateException("credential " + ref + " leads, through a symbolic link, outside organization "
                        + organization + "'s secrets (" + directory + "/)");
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException("credential " + ref + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public String toString() {
        return organization == null ? "any secret (operator)"
                : "organization " + organization + "'s secrets (" + envPrefix + "*, " + directory + "/)";
    }
}
