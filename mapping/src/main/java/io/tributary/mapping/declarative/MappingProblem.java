package io.tributary.mapping.declarative;

/**
 * One problem of a mapping definition: where (a JSON path such as {@code $.fields.album.transforms[1].pattern})
 * and what.
 */
public record MappingProblem(String path, String message) {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
