package io.tributary.simulator.api;

import io.tributary.simulator.content.ForumChange;
import io.tributary.simulator.content.ForumMutator;
import io.tributary.simulator.store.ForumCollection;
import io.tributary.simulator.store.ForumStore;
import io.tributary.simulator.store.SimulatorState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Admin endpoints (not part of the contract, never subject to faults):
 * {@code POST /admin/mutations?creates=&updates=&deletes=&bulk=&collection=&bulk_size=} and
 * {@code GET /admin/stats}.
 */
final class AdminHandler {

    private final ForumMutator mutator;
    private final ForumStore store;
    private final SimulatorState state;

    AdminHandler(ForumMutator mutator, ForumStore store, SimulatorState state) {
        this.mutator = mutator;
        this.store = store;
        this.state = state;
    }

    Mono<ServerResponse> mutations(ServerRequest request) {
        int creates;
        int updates;
        int deletes;
        int bulk;
        int bulkSize;
        Optional<String> collection = request.queryParam("collection");
        try {
            creates = count(request, "creates");
            updates = count(request, "updates");
            deletes = count(request, "deletes");
            bulk = count(request, "bulk");
            bulkSize = request.queryParam("bulk_size").isPresent() ? count(request, "bulk_size") : -1;
            collection.ifPresent(ForumCollection::of);
        } catch (IllegalArgumentException e) {
            return JsonResponses.error(HttpStatus.BAD_REQUEST, "bad_request", e.getMessage());
        }
        String bulkCollection = collection.orElse(ForumCollection.MESSAGES.path());
        return Mono.fromCallable(() -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("created", mutator.create(creates).size());
                    result.put("updated", mutator.update(updates).size());
                    result.put("deleted", mutator.delete(deletes).size());
                    int bulkUpdated = 0;
                    for (int i = 0; i < bulk; i++) {
                        List<ForumChange> changes = bulkSize < 0
                                ? mutator.bulkUpdate(bulkCollection) : mutator.bulkUpdate(bulkCollection, bulkSize);
                        bulkUpdated += changes.size();
                    }
                    result.put("bulk_updated", bulkUpdated);
                    result.put("max_updated_at", ForumStore.formatMillis(state.maxIssued()));
                    return result;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(JsonResponses::ok);
    }

    Mono<ServerResponse> stats(ServerRequest request) {
        return Mono.fromCallable(() -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    for (ForumCollection c : ForumCollection.values()) {
                        result.put(c.path(), store.count(c));
                    }
                    result.put("max_updated_at", ForumStore.formatMillis(state.maxIssued()));
                    return result;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(JsonResponses::ok);
    }

    private static int count(ServerRequest request, String name) {
        String raw = request.queryParam(name).orElse("0");
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= 0 && value <= 1_000_000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be an integer between 0 and 1000000, was '" + raw + "'");
    }
}
