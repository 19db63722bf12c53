package io.tributary.definition;

import java.util.List;
import java.util.stream.Collectors;

/** A source definition that cannot be used, with every problem found and its JSON path. */
public final class InvalidDefinitionException extends IllegalArgumentException {

    private final List<DefinitionProblem> problems;

    public InvalidDefinitionException(String what, List<DefinitionProblem> problems) {
        super("Invalid source definition " + what + " (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + "):\n  " + problems.stream().map(DefinitionProblem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    public List<DefinitionProblem> problems() {
        return problems;
    }
}
