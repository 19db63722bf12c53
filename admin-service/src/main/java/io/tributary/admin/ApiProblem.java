package io.tributary.admin;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** An error answered as an RFC 9457 problem; {@code name} becomes the type {@code urn:tributary:admin:<name>}. */
final class ApiProblem extends RuntimeException {

    final HttpStatus status;
    final String name;
    /** More members of the problem object (RFC 9457 extension members), e.g. the JSON path of what conflicts. */
    final Map<String, Object> properties;

    ApiProblem(HttpStatus status, String name, String detail) {
        this(status, name, detail, Map.of());
    }

    ApiProblem(HttpStatus status, String name, String detail, Map<String, Object> properties) {
        super(detail, null, false, false);
        this.status = status;
        this.name = name;
        this.properties = Map.copyOf(properties);
    }

    static ApiProblem unauthorized() {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, "unauthorized", "A valid 'Authorization: Bearer <token>' is required");
    }

    /** Also for another organization's resources: 404, so a token never learns what others hold. */
    static ApiProblem notFound(String what) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", what + " not found");
    }

    static ApiProblem forbidden(String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", detail);
    }
}
