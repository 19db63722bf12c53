package io.tributary.definition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/** One problem of a source definition: where (a JSON path such as {@code $.entities[1].pagination.type}) and what. */
public record DefinitionProblem(String path, String message) {

    /**
     * By JSON path, an index read as a number ({@code [2]} before {@code [10]}); problems at one path keep their
     * order (the stage that found them: parse, schema, mapping, rules, secrets, claims).
     */
    public static final Comparator<DefinitionProblem> BY_PATH = (a, b) -> comparePaths(a.path(), b.path());

    /** {@code problems} without repeats, sorted {@link #BY_PATH}: what "every problem with its JSON path" answers. */
    public static List<DefinitionProblem> sorted(Collection<DefinitionProblem> problems) {
        List<DefinitionProblem> distinct = new ArrayList<>(new LinkedHashSet<>(problems));
        distinct.sort(BY_PATH); // stable
        return List.copyOf(distinct);
    }

    private static int comparePaths(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                String numberA = a.substring(i, endA).replaceFirst("^0+(?=.)", "");
                String numberB = b.substring(j, endB).replaceFirst("^0+(?=.)", "");
                int byNumber = numberA.length() != numberB.length() ? Integer.compare(numberA.length(), numberB.length())
                        : numberA.compareTo(numberB);
                if (byNumber != 0) {
                    return byNumber;
                }
                i = endA;
                j = endB;
                continue;
            }
            if (x != y) {
                return Character.compare(x, y);
            }
            i++;
            j++;
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static int digitsEnd(String text, int from) {
        int end = from;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end;
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
