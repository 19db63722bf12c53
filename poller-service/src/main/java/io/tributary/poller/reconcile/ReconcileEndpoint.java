package io.tributary.poller.reconcile;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /verify} and {@code POST /reconcile} (optional {@code ?source=&entity=}): run now and answer
 * with every report when done (a scan of millions of records takes minutes); {@code GET /reconcile/last}:
 * the last report of each source and entity. The answer is 200 with {@code drift} and {@code complete}
 * flags for scripts ({@code bin/tributary-verify} exits non-zero on drift); RFC 9457 problems for an
 * unknown source or entity and when reconciliation is off.
 */
final class ReconcileEndpoint {

    /**
     * @param drift    whether any complete report found drift
     * @param complete whether every run completed
     * @param reports  one per source and entity
     */
    record VerifyResult(boolean drift, boolean complete, List<DriftReport> reports) {

        static VerifyResult of(List<DriftReport> reports) {
            return new VerifyResult(reports.stream().anyMatch(r -> r.complete() && r.drift() > 0),
                    reports.stream().allMatch(DriftReport::complete), reports);
        }
    }

    private final @Nullable ReconcileRunner runner;
    private final @Nullable Reconciler reconciler;
    private final Map<String, List<String>> configured;

    /**
     * @param runner     null when reconciliation is off
     * @param configured every configured source and its entities (enumerable or not)
     */
    ReconcileEndpoint(@Nullable ReconcileRunner runner, @Nullable Reconciler reconciler,
            Map<String, List<String>> configured) {
        this.runner = runner;
        this.reconciler = reconciler;
        this.configured = Map.copyOf(configured);
    }

    Mono<ServerResponse> verify(ServerRequest request) {
        return run(request, false);
    }

    Mono<ServerResponse> reconcile(ServerRequest request) {
        return run(request, true);
    }

    Mono<ServerResponse> last(ServerRequest request) {
        if (reconciler == null) {
            return off();
        }
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .bodyValue(VerifyResult.of(reconciler.lastReports().values().stream()
                        .sorted(java.util.Comparator.comparing(DriftReport::source).thenComparing(DriftReport::entity))
                        .toList()));
    }

    private Mono<ServerResponse> run(ServerRequest request, boolean repair) {
        if (runner == null) {
            return off();
        }
        Optional<String> source = request.queryParam("source");
        Optional<String> entity = request.queryParam("entity");
        Map<String, List<String>> runs;
        if (source.isPresent()) {
            List<String> entities = configured.get(source.get());
            if (entities == null) {
                return problem(HttpStatus.NOT_FOUND, "Unknown source", "source '" + abbreviate(source.get())
                        + "' is not configured; configured: " + configured.keySet());
            }
            if (!runner.targets().containsKey(source.get())) {
                return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Source cannot be enumerated", "source '" + source.get()
                        + "' is of a kind that cannot list its records, so it cannot be verified");
            }
            if (entity.isPresent() && !entities.contains(entity.get())) {
                return problem(HttpStatus.NOT_FOUND, "Unknown entity", "entity '" + abbreviate(entity.get())
                        + "' is not configured for source '" + source.get() + "'; configured: " + entities);
            }
            runs = Map.of(source.get(), entity.map(List::of).orElse(entities));
        } else if (entity.isPresent()) {
            return problem(HttpStatus.BAD_REQUEST, "Entity without source", "query parameter 'entity' needs 'source'");
        } else {
            runs = runner.targets();
        }
        return Mono.fromFuture(() -> runner.submit(runs, repair))
                .flatMap(reports -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(VerifyResult.of(reports)));
    }

    private static Mono<ServerResponse> off() {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Reconciliation is off",
                "set tributary.poller.reconcile.writer-url to the writer service's URL to verify and reconcile");
    }

    private static Mono<ServerResponse> problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(problem);
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
