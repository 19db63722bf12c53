package io.tributary.definition;

/** One problem of a source definition: where (a JSON path such as {@code $.entities[1].pagination.type}) and what. */
public record DefinitionProblem(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
