package io.tributary.mapping.declarative;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The {@code transforms} part of {@link MappingParser}: a name ({@code trim}) or an object with {@code op}
 * and its parameters; problems go to the parser's list with their JSON paths.
 */
final class TransformParser {

    private static final Map<String, Set<String>> TRANSFORM_KEYS = Map.of(
            "trim", Set.of(), "lower", Set.of(), "upper", Set.of(),
            "constant", Set.of("value"),
            "concat", Set.of("sources", "separator"),
            "lookup", Set.of("table", "default", "onMissing"),
            "regex", Set.of("pattern", "group", "onNoMatch"),
            "replace", Set.of("pattern", "with"),
            "date", Set.of("formats", "zone", "output"));

    private final MappingParser parser;

    TransformParser(MappingParser parser) {
        this.parser = parser;
    }

    @Nullable Transform transform(JsonNode node, String path) {
        String op;
        if (node.isString()) {
            op = node.stringValue();
        } else if (node.isObject() && node.has("op") && node.get("op").isString()) {
            op = node.get("op").stringValue();
        } else {
            return parser.problem(path, "a transform is a name (trim, lower, upper) or an object with 'op'");
        }
        Set<String> allowed = TRANSFORM_KEYS.get(op);
        if (allowed == null) {
            return parser.problem(node.isString() ? path : path + ".op", "unknown transform '" + op + "', known: "
                    + new java.util.TreeSet<>(TRANSFORM_KEYS.keySet()));
        }
        if (node.isObject()) {
            Set<String> keys = new java.util.HashSet<>(allowed);
            keys.add("op");
            parser.unknownKeys(node, path, keys);
        } else if (!allowed.isEmpty() && !op.equals("date")) {
            return parser.problem(path, "transform '" + op + "' needs parameters: write it as {op: " + op + ", ...}");
        }
        int before = parser.problems.size();
        Transform transform = switch (op) {
            case "trim" -> new Transform.Trim();
            case "lower" -> new Transform.Lower();
            case "upper" -> new Transform.Upper();
            case "constant" -> node.has("value") ? new Transform.Constant(node.get("value"))
                    : parser.problem(path, "'value' is required");
            case "concat" -> concat(node, path);
            case "lookup" -> lookup(node, path);
            case "regex" -> regex(node, path);
            case "replace" -> {
                Pattern pattern = pattern(node, path);
                String with = parser.text(node, "with", path, false);
                yield pattern == null ? null : new Transform.Replace(pattern, with == null ? "" : with);
            }
            case "date" -> date(node, path);
            default -> throw new IllegalStateException(op);
        };
        return parser.problems.size() > before ? null : transform;
    }

    private Transform.@Nullable Concat concat(JsonNode node, String path) {
        JsonNode list = node.get("sources");
        if (list == null || !list.isArray() || list.isEmpty()) {
            return parser.problem(path + ".sources", "expected a non-empty array of source paths");
        }
        List<SourcePath> sources = new ArrayList<>();
        int i = 0;
        for (JsonNode source : list.values()) {
            String sourcePath = path + ".sources[" + i++ + "]";
            SourcePath parsed = source.isString() ? parser.sourcePath(source.stringValue(), sourcePath)
                    : parser.problem(sourcePath, "expected a source path (a string)");
            if (parsed != null) {
                sources.add(parsed);
            }
        }
        String separator = parser.text(node, "separator", path, false);
        return sources.size() == list.size() ? new Transform.Concat(sources, separator == null ? "" : separator) : null;
    }

    private Transform.@Nullable Lookup lookup(JsonNode node, String path) {
        JsonNode table = node.get("table");
        if (table == null || !table.isObject() || table.isEmpty()) {
            return parser.problem(path + ".table", "expected a non-empty object (source value -> target value)");
        }
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        table.properties().forEach(entry -> entries.put(entry.getKey(), entry.getValue()));
        Transform.OnMissing onMissing = parser.choice(node, "onMissing", path, Transform.OnMissing.class, Transform.OnMissing.ERROR);
        return onMissing == null ? null : new Transform.Lookup(entries, node.get("default"), onMissing);
    }

    private Transform.@Nullable RegexExtract regex(JsonNode node, String path) {
        Pattern pattern = pattern(node, path);
        Transform.OnNoMatch onNoMatch = parser.choice(node, "onNoMatch", path, Transform.OnNoMatch.class, Transform.OnNoMatch.ERROR);
        if (pattern == null || onNoMatch == null) {
            return null;
        }
        JsonNode group = node.get("group");
        String name;
        if (group == null) {
            name = pattern.matcher("").groupCount() > 0 ? "1" : "0";
        } else if (group.isIntegralNumber() && group.canConvertToInt()) {
            name = Integer.toString(group.intValue());
            if (group.intValue() < 0 || group.intValue() > pattern.matcher("").groupCount()) {
                return parser.problem(path + ".group", "the pattern has " + pattern.matcher("").groupCount()
                        + " groups, there is no group " + group.intValue());
            }
        } else if (group.isString() && pattern.pattern().contains("(?<" + group.stringValue() + ">")) {
            name = group.stringValue();
        } else {
            return parser.problem(path + ".group", "expected a group number or the name of a named group of the pattern");
        }
        return new Transform.RegexExtract(pattern, name, onNoMatch);
    }

    private Transform.@Nullable DateParse date(JsonNode node, String path) {
        List<String> formats = new ArrayList<>();
        JsonNode list = node.isObject() ? node.get("formats") : null;
        if (list == null) {
            formats.add("iso-instant");
            formats.add("iso-offset-date-time");
        } else if (list.isString()) {
            formats.add(list.stringValue());
        } else if (list.isArray() && !list.isEmpty() && list.values().stream().allMatch(JsonNode::isString)) {
            list.values().forEach(format -> formats.add(format.stringValue()));
        } else {
            return parser.problem(path + ".formats", "expected a date format or a non-empty array of them");
        }
        int before = parser.problems.size();
        for (int i = 0; i < formats.size(); i++) {
            try {
                new Transform.DateParse(List.of(formats.get(i)), ZoneOffset.UTC, Transform.DateOutput.ISO_INSTANT);
            } catch (IllegalArgumentException e) {
                parser.problem(path + ".formats" + (list != null && list.isArray() ? "[" + i + "]" : ""),
                        "'" + formats.get(i) + "' is neither a named format " + Transform.DateParse.NAMED_FORMATS
                                + " nor a valid pattern: " + e.getMessage());
            }
        }
        ZoneId zone = node.isObject() ? parser.zone(node, path) : ZoneOffset.UTC;
        Transform.DateOutput output = node.isObject()
                ? parser.choice(node, "output", path, Transform.DateOutput.class, Transform.DateOutput.ISO_INSTANT)
                : Transform.DateOutput.ISO_INSTANT;
        return zone == null || output == null || parser.problems.size() > before ? null
                : new Transform.DateParse(formats, zone, output);
    }

    private @Nullable Pattern pattern(JsonNode node, String path) {
        String text = parser.text(node, "pattern", path, true);
        if (text == null) {
            return null;
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            return parser.problem(path + ".pattern", "not a valid regular expression: " + e.getDescription());
        }
    }

}
