package io.tributary.admin;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;

/** Every error as an RFC 9457 problem named by its type {@code urn:tributary:admin:<name>}; never a request body echoed. */
@RestControllerAdvice
class ProblemHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> problem(ApiProblem e) {
        ResponseEntity<ProblemDetail> response = problem(e.status, e.name, e.getMessage());
        e.properties.forEach(response.getBody()::setProperty);
        return response;
    }

    @ExceptionHandler(AdminController.InvalidDefinition.class)
    ResponseEntity<ProblemDetail> invalid(AdminController.InvalidDefinition e) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-definition",
                e.problems.size() + " problem(s) in the definition");
        response.getBody().setProperty("problems", e.problems);
        return response;
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "The request body is too large");
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ProblemDetail> status(ResponseStatusException e) {
        HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
        return problem(status == null ? HttpStatus.BAD_REQUEST : status, "bad-request", e.getReason() == null ? "Bad request" : e.getReason());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        LOG.error("Admin request failed: {}", e.getClass().getName(), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "The request failed; see the admin service's log");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String name, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("urn:tributary:admin:" + name));
        body.setTitle(name);
        return ResponseEntity.status(status).body(body);
    }
}
