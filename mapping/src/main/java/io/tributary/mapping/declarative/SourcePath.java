package io.tributary.mapping.declarative;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Where a value sits in a source record: dotted names with array steps, e.g. {@code data.user.name},
 * {@code tracks[0].title}, {@code tracks[*].title} (every element: the result is an array), {@code ['a.b']}
 * for a name holding a dot, and {@code $} for the record (or array element) itself. A leading {@code $.}
 * is allowed. Reading never throws: a step that does not fit the record (a name on an array, an index
 * past the end) reads as absent.
 *
 * @param text  the path as written (used in error messages)
 * @param steps parsed steps: a {@link String} name, an {@link Integer} index or {@link #WILDCARD}
 */
public record SourcePath(String text, List<Object> steps) {

    /** The {@code [*]} step. */
    static final Object WILDCARD = new Object() {
        @Override
        public String toString() {
            return "[*]";
        }
    };

    public SourcePath {
        steps = List.copyOf(steps);
    }

    /** Parses a path; throws {@link IllegalArgumentException} naming the problem and its position. */
    public static SourcePath parse(String text) {
        String body = text.strip();
        if (body.isEmpty()) {
            throw new IllegalArgumentException("a source path must not be empty (use '$' for the record itself)");
        }
        List<Object> steps = new ArrayList<>();
        int i = 0;
        if (body.startsWith("$")) {
            i = 1;
            if (i < body.length() && body.charAt(i) == '.') {
                i++;
                if (i == body.length()) {
                    throw new IllegalArgumentException("path '" + text + "' ends with '.'");
                }
            }
        }
        boolean expectName = i > 1 || i == 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == '[') {
                int close = body.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("path '" + text + "': '[' at " + i + " is never closed");
                }
                String inside = body.substring(i + 1, close).strip();
                if (inside.equals("*")) {
                    steps.add(WILDCARD);
                } else if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
                        || inside.startsWith("\"") && inside.endsWith("\""))) {
                    steps.add(inside.substring(1, inside.length() - 1));
                } else {
                    try {
                        int index = Integer.parseInt(inside);
                        if (index < 0) {
                            throw new NumberFormatException();
                        }
                        steps.add(index);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("path '" + text + "': '[" + inside
                                + "]' is neither an index >= 0, '*' nor a quoted name");
                    }
                }
                i = close + 1;
                expectName = false;
            } else if (c == '.') {
                if (expectName) {
                    throw new IllegalArgumentException("path '" + text + "': empty name at " + i);
                }
                i++;
                expectName = true;
                if (i == body.length()) {
                    throw new IllegalArgumentException("path '" + text + "' ends with '.'");
                }
            } else {
                if (!expectName) {
                    throw new IllegalArgumentException("path '" + text + "': expected '.' or '[' at " + i);
                }
                int end = i;
                while (end < body.length() && body.charAt(end) != '.' && body.charAt(end) != '[') {
                    end++;
                }
                steps.add(body.substring(i, end));
                i = end;
                expectName = false;
            }
        }
        return new SourcePath(text, steps);
    }

    /** The value at this path, or null when absent; JSON null also reads as null. */
    public @Nullable JsonNode read(JsonNode root) {
        return read(root, 0);
    }

    private @Nullable JsonNode read(@Nullable JsonNode node, int from) {
        for (int s = from; s < steps.size(); s++) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return null;
            }
            Object step = steps.get(s);
            if (step == WILDCARD) {
                if (!node.isArray()) {
                    return null;
                }
                ArrayNode all = JsonNodeFactory.instance.arrayNode();
                for (JsonNode element : node.values()) {
                    JsonNode value = read(element, s + 1);
                    all.add(value == null ? JsonNodeFactory.instance.nullNode() : value);
                }
                return all;
            }
            if (step instanceof Integer index) {
                node = node.isArray() ? node.get(index) : null;
            } else {
                node = node.isObject() ? node.get((String) step) : null;
            }
        }
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    @Override
    public String toString() {
        return text;
    }
}
