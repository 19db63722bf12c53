package io.tributary.definition;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.tributary.mapping.declarative.InvalidMappingException;
import io.tributary.mapping.declarative.MappingParser;
import io.tributary.mapping.declarative.MappingProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads source definitions (YAML or JSON) and validates them, reporting every problem with its JSON path, sorted by
 * path and without repeats: the published JSON Schema ({@link #SCHEMA_RESOURCE}, also {@code docs/schema/}) and the
 * credentials written in clear ({@link LiteralCredentials}: user info in a URL, a literal credential in a query),
 * then each entity's mapping ({@link MappingParser}) that the schema found nothing wrong in, then the cross-field
 * rules ({@link DefinitionRules}) once every mapping parsed and the definition binds. Each stage runs whenever what it
 * reads is sound, so one mistake is reported once and the others are not hidden behind it. Thread-safe; build one
 * and reuse it.
 */
public final class SourceDefinitionLoader {

    /** The schema on the classpath. */
    public static final String SCHEMA_RESOURCE = "/io/tributary/definition/source-definition.schema.json";

    public enum Format {
        YAML, JSON;

        /** By file extension: {@code .json} is JSON, anything else YAML (a superset of JSON). */
        public static Format of(Path file) {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        }
    }

    private final ObjectMapper yaml = YAMLMapper.builder().build();
    private final ObjectMapper json = JsonMapper.builder().build();
    private final ObjectMapper binder = JsonMapper.builder().addModule(new DefinitionModule()).build();
    private final Schema schema;

    public SourceDefinitionLoader() {
        JsonNode schemaNode;
        try (InputStream in = SourceDefinitionLoader.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The definition schema " + SCHEMA_RESOURCE + " is not on the classpath");
            }
            schemaNode = json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_PATH).build()));
        this.schema = registry.getSchema(schemaNode);
    }

    /** The definition in {@code file}; throws {@link InvalidDefinitionException} listing every problem. */
    public SourceDefinition load(Path file) {
        try {
            return read(Files.readString(file), Format.of(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read source definition " + file, e);
        }
    }

    /** The definition in {@code text}; throws {@link InvalidDefinitionException} listing every problem. */
    public SourceDefinition read(String text, Format format, String what) {
        List<DefinitionProblem> problems = new ArrayList<>();
        JsonNode tree = parse(text, format, problems);
        if (tree != null) {
            problems.addAll(validate(tree));
        }
        if (!problems.isEmpty() || tree == null) {
            throw new InvalidDefinitionException(what, problems);
        }
        return bind(tree);
    }

    /** Every problem of the definition in {@code text} (empty when it is valid); the admin API's "validate without saving". */
    public List<DefinitionProblem> validate(String text, Format format) {
        List<DefinitionProblem> problems = new ArrayList<>();
        JsonNode tree = parse(text, format, problems);
        return tree == null ? problems : validate(tree);
    }

    /** Every problem of a parsed definition (empty when it is valid), sorted by path. */
    public List<DefinitionProblem> validate(JsonNode tree) {
        List<DefinitionProblem> credentials = LiteralCredentials.check(tree);
        Set<String> explained = new HashSet<>();
        credentials.forEach(problem -> explained.add(problem.path()));
        List<DefinitionProblem> schema = schemaProblems(tree, explained);
        List<DefinitionProblem> problems = new ArrayList<>(schema);
        problems.addAll(credentials);
        boolean mappingsParsed = true;
        JsonNode entities = tree.path("entities");
        for (int i = 0; i < entities.size(); i++) {
            String path = "$.entities[" + i + "].mapping";
            JsonNode mapping = entities.path(i).path("mapping");
            if (!mapping.isObject() || schema.stream().anyMatch(problem -> within(problem.path(), path))) {
                mappingsParsed = false; // the schema's problem says it; the parser would only repeat it
                continue;
            }
            try {
                MappingParser.parse(mapping, path);
            } catch (InvalidMappingException e) {
                mappingsParsed = false;
                for (MappingProblem problem : e.problems()) {
                    problems.add(new DefinitionProblem(problem.path(), problem.message()));
                }
            }
        }
        if (mappingsParsed && entities.isArray()) {
            problems.addAll(rules(tree, !schema.isEmpty()));
        }
        return DefinitionProblem.sorted(problems);
    }

    /**
     * The cross-field rules. On a definition the schema refused they run only if it still binds, and a rule that
     * cannot read it (a part the schema reported missing) leaves the schema's problems to speak.
     */
    private List<DefinitionProblem> rules(JsonNode tree, boolean schemaFailed) {
        if (!schemaFailed) {
            return DefinitionRules.check(tree, bind(tree));
        }
        try {
            return DefinitionRules.check(tree, binder.treeToValue(tree, SourceDefinition.class));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** {@code path} is {@code parent} or under it ({@code $.a.b} is within {@code $.a}; {@code $.ab} is not). */
    private static boolean within(String path, String parent) {
        return path.equals(parent) || path.startsWith(parent) && (path.charAt(parent.length()) == '.'
                || path.charAt(parent.length()) == '[');
    }

    private SourceDefinition bind(JsonNode tree) {
        try {
            return binder.treeToValue(tree, SourceDefinition.class);
        } catch (JacksonException e) {
            // the schema and the mapping parser accept only what binds; this names a gap between them
            throw new IllegalStateException("A definition the schema accepts failed to bind: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The definition in {@code text} as a tree, or null with the reason added to {@code problems}: not YAML or JSON
     * (naming the line and column, never quoting the document), or empty.
     */
    public @Nullable JsonNode parse(String text, Format format, List<DefinitionProblem> problems) {
        try {
            JsonNode tree = (format == Format.JSON ? json : yaml).readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                problems.add(new DefinitionProblem("$", "the definition is empty"));
                return null;
            }
            return tree;
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            // the parser's own sentences only: its indented lines quote the document, which may hold anything
            String reason = e.getOriginalMessage().lines()
                    .filter(line -> !line.isBlank() && !line.startsWith(" ") && !line.startsWith("\t"))
                    .collect(java.util.stream.Collectors.joining("; "));
            problems.add(new DefinitionProblem("$", "not valid " + format.name() + (at == null ? "" :
                    " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + reason));
            return null;
        }
    }

    /**
     * The schema's errors as problems; a {@code pattern} error at a path in {@code explained} is left to the credential
     * check, whose message is the precise one. A property that is not allowed is reported at its own path. A property
     * that failed its own check inside a conditional branch (an auth's {@code token}) is also "not evaluated"
     * by that branch: that echo is dropped, the property's own problem says it all.
     */
    private List<DefinitionProblem> schemaProblems(JsonNode tree, Set<String> explained) {
        List<Error> errors = schema.validate(tree);
        List<DefinitionProblem> problems = new ArrayList<>();
        for (Error error : errors) {
            String location = error.getInstanceLocation().toString();
            String keyword = error.getKeyword();
            if ("pattern".equals(keyword) && explained.contains(location)) {
                continue; // a URL with user info: the credential check's message says what to do instead
            }
            if (("unevaluatedProperties".equals(keyword) || "additionalProperties".equals(keyword))
                    && error.getProperty() != null) {
                String path = location + "." + error.getProperty();
                // the echo of a failed branch: the property failed its own check, or the branch failed
                // (a missing required property) and so evaluated none of its properties
                boolean echo = errors.stream().anyMatch(other -> other != error
                        && (other.getInstanceLocation().toString().startsWith(path)
                            || "required".equals(other.getKeyword()) && other.getInstanceLocation().toString().equals(location)));
                if (!echo) {
                    problems.add(new DefinitionProblem(path, "unknown property '" + error.getProperty() + "' (not allowed here)"));
                }
                continue;
            }
            problems.add(new DefinitionProblem(location, schemaMessage(error)));
        }
        return problems;
    }

    /** The schema's message without the instance location it starts with (the path is reported apart). */
    private static String schemaMessage(Error error) {
        String message = error.getMessage();
        String location = error.getInstanceLocation().toString();
        if (message.startsWith(location + ": ")) {
            message = message.substring(location.length() + 2);
        }
        return message;
    }
}
