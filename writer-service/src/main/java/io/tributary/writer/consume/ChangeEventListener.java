package io.tributary.writer.consume;

import io.tributary.model.ChangeEvent;
import io.tributary.writer.apply.ApplyResult;
import io.tributary.writer.apply.BatchApplier;
import io.tributary.writer.dialect.Dialect;
import io.tributary.writer.entity.CurrentCatalog;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EventMapper;
import io.tributary.writer.entity.InvalidChangeEventException;
import io.tributary.writer.entity.RowChange;
import io.tributary.writer.progress.WriterMetrics;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * The batch listener: validates every record of a poll BEFORE touching the database, applies the valid
 * ones in one transaction and returns, after which the container commits the batch's offsets.
 *
 * <p>Failures, and what the {@code DefaultErrorHandler} then does:
 * <ul>
 *   <li>a record that cannot be read or mapped (permanent): the records before it are applied and
 *       committed, then {@link BatchListenerFailedException} names it; the handler dead-letters it and
 *       redelivers the rest;</li>
 *   <li>a transient database failure: the transaction rolls back and {@link TransientApplyException}
 *       makes the handler retry the whole batch with backoff;</li>
 *   <li>any other database failure: the batch is re-applied one change per transaction to find the record
 *       the database refuses, which is then named as above with a {@link PermanentApplyException}.</li>
 * </ul>
 */
final class ChangeEventListener implements BatchMessageListener<String, ChangeEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeEventListener.class);
    private static final LogAccessor KAFKA_LOG = new LogAccessor(ChangeEventListener.class);

    private final CurrentCatalog catalogs;
    private final BatchApplier applier;
    private final Dialect dialect;
    private final WriterMetrics metrics;
    private final ReceivedRecords received;

    ChangeEventListener(CurrentCatalog catalogs, BatchApplier applier, Dialect dialect, WriterMetrics metrics,
            ReceivedRecords received) {
        this.catalogs = catalogs;
        this.applier = applier;
        this.dialect = dialect;
        this.metrics = metrics;
        this.received = received;
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, ChangeEvent>> records) {
        received.received(records);
        putMdc(records);
        try {
            applyBatch(records);
        } finally {
            MDC.remove("source");
            MDC.remove("entity");
            MDC.remove("eventId");
        }
    }

    /**
     * The one place the writer sets its MDC keys, around a whole batch on the listener's thread: {@code source}
     * and {@code entity} when every record of the batch shares them, {@code eventId} when the batch is one record.
     */
    private static void putMdc(List<ConsumerRecord<String, ChangeEvent>> records) {
        @Nullable String source = null;
        @Nullable String entity = null;
        boolean mixedSources = false;
        boolean mixedEntities = false;
        for (ConsumerRecord<String, ChangeEvent> record : records) {
            ChangeEvent event = record.value();
            if (event == null) {
                continue;
            }
            mixedSources |= source != null && !source.equals(event.sourceId());
            mixedEntities |= entity != null && !entity.equals(event.entity());
            source = event.sourceId();
            entity = event.entity();
        }
        if (source != null && !mixedSources) {
            MDC.put("source", source);
        }
        if (entity != null && !mixedEntities) {
            MDC.put("entity", entity);
        }
        if (records.size() == 1 && records.get(0).value() != null) {
            MDC.put("eventId", records.get(0).value().eventId());
        }
    }

    private void applyBatch(List<ConsumerRecord<String, ChangeEvent>> records) {
        long started = System.nanoTime();
        // One catalog for the whole batch: a catalog replaced meanwhile (decision 0029) applies from the next batch.
        EntityCatalog catalog = catalogs.get();
        EventMapper mapper = new EventMapper(catalog);
        List<RowChange> changes = new ArrayList<>(records.size());
        BatchListenerFailedException invalid = null;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, ChangeEvent> record = records.get(i);
            try {
                changes.add(map(mapper, record));
            } catch (DeserializationException | InvalidChangeEventException e) {
                invalid = new BatchListenerFailedException("Cannot apply " + describe(record) + ": " + reason(e), e, i);
                break;
            }
        }
        if (!changes.isEmpty()) {
            apply(catalog, records, changes, started);
        }
        if (invalid != null) {
            throw invalid;
        }
    }

    private static RowChange map(EventMapper mapper, ConsumerRecord<String, ChangeEvent> record) {
        DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, KAFKA_LOG);
        if (unreadable != null) {
            throw unreadable;
        }
        ChangeEvent event = record.value();
        if (event == null) {
            throw new InvalidChangeEventException("Change event has no value (null)");
        }
        return mapper.map(record.topic(), event);
    }

    private void apply(EntityCatalog catalog, List<ConsumerRecord<String, ChangeEvent>> records,
            List<RowChange> changes, long started) {
        try {
            ApplyResult result = applier.apply(catalog, changes);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.batchCommitted(changes, took, result);
            LOG.debug("Applied a batch of {} change(s) in {} ms", changes.size(), took.toMillis());
        } catch (SQLException e) {
            if (dialect.isTransient(e)) {
                LOG.warn("Failed to apply batch of {} change(s), will retry: {}", changes.size(), e.getMessage());
                throw new TransientApplyException("Failed to apply batch of " + changes.size()
                        + " change(s) (transient, will retry): " + e.getMessage(), e);
            }
            LOG.warn("Failed to apply batch of {} change(s): {}; applying them one at a time to find the culprit",
                    changes.size(), e.getMessage());
            applyOneByOne(catalog, records, changes);
        }
    }

    private void applyOneByOne(EntityCatalog catalog, List<ConsumerRecord<String, ChangeEvent>> records,
            List<RowChange> changes) {
        for (int i = 0; i < changes.size(); i++) {
            long started = System.nanoTime();
            try {
                ApplyResult result = applier.apply(catalog, List.of(changes.get(i)));
                metrics.batchCommitted(List.of(changes.get(i)), Duration.ofNanos(System.nanoTime() - started), result);
            } catch (SQLException e) {
                if (dialect.isTransient(e)) {
                    throw new TransientApplyException("Failed to apply " + changes.get(i)
                            + " (transient, will retry): " + e.getMessage(), e);
                }
                String reason = "Cannot apply " + describe(records.get(i)) + ": the database refuses "
                        + changes.get(i) + ": " + e.getMessage();
                throw new BatchListenerFailedException(reason, new PermanentApplyException(reason, e), i);
            }
        }
    }

    /** A deserialization failure's own message is generic ("failed to deserialize"): name its cause. */
    private static String reason(RuntimeException e) {
        if (e instanceof DeserializationException && e.getCause() != null) {
            return e.getMessage() + ": " + e.getCause().getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    static String describe(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset() + " (key " + record.key() + ")";
    }
}
