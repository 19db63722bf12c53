package io.tributary.writer.progress;

import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.entity.EntityDefinition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one INFO line every {@code tributary.writer.progress.interval} when something changed: rows applied
 * per entity since start and the rate since the previous line, placeholders still waiting for their
 * record, records dead-lettered, and the consumer's total lag (from the consumer's {@code records-lag}
 * metrics, as of its last fetch).
 */
final class ProgressReporter {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final WriterMetrics metrics;
    private final CurrentCatalog catalog;
    private final DataSource dataSource;
    private final ConsumerLag lag;
    private final WriterProgressProperties properties;
    private @Nullable State last;
    private long lastLoggedNanos = System.nanoTime();
    private long placeholders = -1;

    /** What the line reports; a line is logged only when it differs from the previous one. */
    private record State(Map<String, Long> applied, long deadLettered, OptionalLong lag) {
        long totalApplied() {
            return applied.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    ProgressReporter(WriterMetrics metrics, CurrentCatalog catalog, DataSource dataSource,
            ConsumerLag lag, WriterProgressProperties properties) {
        this.metrics = metrics;
        this.catalog = catalog;
        this.dataSource = dataSource;
        this.lag = lag;
        this.properties = properties;
    }

    /** One line, if something changed since the last; run every interval by a {@code PeriodicTask}. */
    void report() {
        try {
            State now = new State(metrics.appliedRows(), metrics.deadLetteredTotal(), lag.total());
            if (now.equals(last)) {
                return;
            }
            long nanos = System.nanoTime();
            if (last == null || !now.applied().equals(last.applied()) || placeholders < 0) {
                placeholders = placeholders();
            }
            double seconds = Math.max(1e-3, (nanos - lastLoggedNanos) / 1e9);
            long delta = now.totalApplied() - (last == null ? 0 : last.totalApplied());
            LOG.info("Progress: applied {} (total {}, {} rows/s), placeholders waiting {}, dead-lettered {}, "
                            + "consumer lag {}",
                    now.applied().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(" ")),
                    now.totalApplied(), String.format("%.1f", delta / seconds),
                    placeholders < 0 ? "n/a" : placeholders, now.deadLettered(),
                    now.lag().isPresent() ? now.lag().getAsLong() : "n/a");
            last = now;
            lastLoggedNanos = nanos;
        } catch (RuntimeException e) {
            LOG.warn("Failed to report progress", e);
        }
    }

    private long placeholders() {
        long total = 0;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (EntityDefinition entity : catalog.get().definitions()) {
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + entity.name()
                        + " WHERE source_version = 0 AND deleted = 0")) {
                    rows.next();
                    total += rows.getLong(1);
                }
            }
            return total;
        } catch (SQLException e) {
            LOG.debug("Cannot count placeholders: {}", e.getMessage());
            return -1;
        }
    }

    @Override
    public String toString() {
        return "ProgressReporter[" + Objects.requireNonNullElse(last, "none") + "]";
    }
}
