package io.tributary.mapping.declarative;

import java.util.List;
import java.util.stream.Collectors;

/** A mapping definition that cannot be used, with every problem found and its JSON path. */
public final class InvalidMappingException extends IllegalArgumentException {

    private final List<MappingProblem> problems;

    public InvalidMappingException(List<MappingProblem> problems) {
        super("Invalid mapping definition: " + problems.stream().map(MappingProblem::toString)
                .collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<MappingProblem> problems() {
        return problems;
    }
}
