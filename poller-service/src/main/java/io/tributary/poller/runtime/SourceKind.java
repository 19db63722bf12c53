package io.tributary.poller.runtime;

import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The extension point for a kind of pulled source, found as a Spring bean by {@link #name()} (the
 * {@code kind} of a configured source). A new kind costs this one class, its properties record and a test.
 *
 * <p>The runtime binds the kind's own settings from the source's configuration node
 * ({@code tributary.poller.sources[i]}) into {@link #propertiesType()} at start-up (constructor binding:
 * {@code @DefaultValue}s apply, a compact constructor that throws fails the start naming the source),
 * then asks for one {@link SourceTask} per configured entity. See {@link SourceTask} for the lifecycle.
 *
 * @param <P> the kind's properties record
 */
public interface SourceKind<P> {

    /** The {@code kind} value that selects this kind, e.g. {@code forum-rest}. */
    String name();

    /** The record the source's configuration node binds to. */
    Class<P> propertiesType();

    /**
     * The entities to poll, one partition each: by default the configured ones
     * ({@code tributary.poller.sources[i].entities}); a kind may supply its own when none are configured (the
     * forum's four collections, a definition's entities) and refuse configured ones it cannot serve. Called at
     * start-up; throwing fails the start.
     */
    default List<String> entities(String sourceId, P properties, List<String> configured) {
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("Source " + sourceId + " of kind " + name()
                    + " needs tributary.poller.sources[].entities");
        }
        return configured;
    }

    /** The pause between passes: by default the configured {@code poll-interval}; a kind may take it from elsewhere. */
    default Duration pollInterval(String sourceId, P properties, Duration configured) {
        return configured;
    }

    /**
     * When each pass starts: by default every {@link #pollInterval}; a kind may take a cron schedule from
     * elsewhere (a source definition's {@code schedule.cron}). Called at start-up; throwing fails the start.
     */
    default PassSchedule schedule(String sourceId, P properties, Duration configured) {
        return PassSchedule.every(pollInterval(sourceId, properties, configured));
    }

    /** A task for one partition (source id + entity); called once per partition at start-up. */
    SourceTask createTask(SourcePartition partition, P properties);

    /**
     * What serves refresh requests for a source of this kind ({@code tributary.refresh.requests}), if its
     * source can answer for a single record; empty (the default) if not, and such requests are skipped.
     */
    default Optional<RecordRefresher> refresher(String sourceId, P properties) {
        return Optional.empty();
    }

    /**
     * What lists every record of a source of this kind, for reconciliation and verify, if its source can
     * be enumerated; empty (the default) if not, and such sources are neither reconciled nor verified.
     */
    default Optional<SourceInventory> inventory(String sourceId, P properties) {
        return Optional.empty();
    }
}
