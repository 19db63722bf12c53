package io.tributary.definition;

import java.util.regex.Pattern;

/** JSON paths as problems name them: {@code $.a.b[0].c}, a name that is not an identifier as {@code ['x-y']}. */
final class JsonPath {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JsonPath() {
    }

    static String property(String parent, String name) {
        return IDENTIFIER.matcher(name).matches() ? parent + "." + name
                : parent + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }
}
