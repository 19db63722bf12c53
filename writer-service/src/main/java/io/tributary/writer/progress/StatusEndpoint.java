package io.tributary.writer.progress;

import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.entity.EntityDefinition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /status}: the main DB's rows per entity and state, freshness p99, lag and dead letters, as
 * JSON — what the local run prints as progress, the status page ({@code GET /}) shows and
 * {@code bin/tributary-status} prints. Counts read the main DB through the writer's pool (on SQLite its one
 * connection, so a request waits for the batch in flight); it is meant for people and scripts, not for
 * scraping (use the metrics). The lag is that of the partitions this instance holds. With
 * {@code tributary.writer.status.poller-url} it adds the poller's sources ({@link PollerStatusClient}).
 */
final class StatusEndpoint {

    private final CurrentCatalog catalog;
    private final DataSource dataSource;
    private final ConsumerLag lag;
    private final WriterMetrics metrics;
    private final @Nullable PollerStatusClient poller;

    StatusEndpoint(CurrentCatalog catalog, DataSource dataSource, ConsumerLag lag, WriterMetrics metrics,
            @Nullable PollerStatusClient poller) {
        this.poller = poller;
        this.catalog = catalog;
        this.dataSource = dataSource;
        this.lag = lag;
        this.metrics = metrics;
    }

    Mono<ServerResponse> handle(ServerRequest request) {
        Mono<SyncStatus> own = Mono.fromCallable(this::read).subscribeOn(Schedulers.boundedElastic());
        Mono<SyncStatus> status = poller == null ? own : own.zipWith(poller.fetch(), SyncStatus::withPoller);
        return status.flatMap(answer -> ServerResponse.ok().bodyValue(answer));
    }

    SyncStatus read() throws SQLException {
        Map<String, SyncStatus.EntityRows> entities = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (EntityDefinition entity : catalog.get().definitions()) {
                try (ResultSet rows = statement.executeQuery("SELECT"
                        + " COALESCE(SUM(CASE WHEN deleted = 0 AND source_version > 0 THEN 1 ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN deleted = 0 AND source_version = 0 THEN 1 ELSE 0 END), 0),"
                        + " COALESCE(SUM(CASE WHEN deleted = 1 THEN 1 ELSE 0 END), 0)"
                        + " FROM " + entity.name())) {
                    rows.next();
                    OptionalDouble p99 = metrics.freshnessP99Seconds(entity.name());
                    entities.put(entity.name(), new SyncStatus.EntityRows(rows.getLong(1), rows.getLong(2),
                            rows.getLong(3), p99.isPresent() ? Math.round(p99.getAsDouble() * 1000) / 1000.0 : null));
                }
            }
        }
        Map<String, Long> lagByTopic = lag.byTopic();
        long totalLag = lagByTopic.isEmpty() ? -1 : lagByTopic.values().stream().mapToLong(Long::longValue).sum();
        return new SyncStatus(entities, totalLag, lagByTopic, metrics.deadLetteredTotal(), null);
    }
}
