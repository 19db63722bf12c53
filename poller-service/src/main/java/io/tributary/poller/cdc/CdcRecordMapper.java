package io.tributary.poller.cdc;

import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.ChangeEvent;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.model.spi.SourcePartition;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;

/**
 * Turns one Debezium PostgreSQL change record (the Connect envelope: {@code op}, {@code before}, {@code after},
 * {@code source}) into a change event of the partition's entity: external id = the key column as a string,
 * source version = the change's LSN ({@code source.lsn}) for a streamed change and the snapshot's version (the
 * WAL position before the slot was created) for a snapshot read (decision 0012), payload = the mapped columns as
 * strings (timestamps as ISO-8601 instants, which is what the writer's fields expect). Snapshot reads, inserts
 * and updates become UPSERTs, deletes DELETEs; records without an envelope (heartbeats) and truncates map to
 * nothing. A row that cannot be mapped is refused with {@link RecordRejectedException}. Thread-safe.
 */
final class CdcRecordMapper {

    private final SourcePartition partition;
    private final CdcProperties.Table table;
    private final InstantSource clock;

    CdcRecordMapper(SourcePartition partition, CdcProperties.Table table, InstantSource clock) {
        this.partition = partition;
        this.table = table;
        this.clock = clock;
    }

    /** The record's event; empty for a record that carries no row change (a heartbeat, a truncate). */
    Optional<ChangeEvent> map(SourceRecord record, OptionalLong snapshotVersion) {
        if (!(record.value() instanceof Struct envelope) || envelope.schema().field("op") == null) {
            return Optional.empty();
        }
        String op = envelope.getString("op");
        Struct source = envelope.getStruct("source");
        Long lsn = source == null || source.schema().field("lsn") == null ? null : source.getInt64("lsn");
        if (lsn == null || lsn < 1) {
            throw new RecordRejectedException("change record (op " + op + ") carries no source.lsn");
        }
        return switch (op) {
            // A snapshot read carries the snapshot's consistent point, which may lie above changes that are
            // streamed after it (a transaction open across it): the version taken before the slot was created
            // lies below every streamed change.
            case "r" -> Optional.of(upsert(envelope.getStruct("after"), snapshotVersion.orElse(lsn)));
            case "c", "u" -> Optional.of(upsert(envelope.getStruct("after"), lsn));
            case "d" -> Optional.of(event(externalId(envelope.getStruct("before"), op), Operation.DELETE, lsn, Map.of()));
            default -> Optional.empty();
        };
    }

    /** The source's commit time of a streamed change ({@code source.ts_ms}); 0 for a snapshot read or no change. */
    static long committedAt(SourceRecord record) {
        if (!(record.value() instanceof Struct envelope) || envelope.schema().field("op") == null
                || "r".equals(envelope.getString("op"))) {
            return 0;
        }
        Struct source = envelope.getStruct("source");
        Long ts = source == null || source.schema().field("ts_ms") == null ? null : source.getInt64("ts_ms");
        return ts == null ? 0 : ts;
    }

    private ChangeEvent upsert(@Nullable Struct after, long lsn) {
        String externalId = externalId(after, "c/u/r");
        Map<String, Object> payload = new LinkedHashMap<>();
        if (table.columns().isEmpty()) {
            for (Field field : after.schema().fields()) {
                if (!field.name().equals(table.keyColumn())) {
                    payload.put(field.name(), text(field.schema(), after.get(field)));
                }
            }
        } else {
            // Sorted by field name so that equal rows always give equal payloads.
            new TreeMap<>(table.columns()).forEach((name, column) -> {
                Field field = after.schema().field(column);
                if (field == null) {
                    throw new RecordRejectedException("column '" + column + "' (field '" + name + "') is not in the row");
                }
                payload.put(name, text(field.schema(), after.get(field)));
            });
        }
        return event(externalId, Operation.UPSERT, lsn, payload);
    }

    private ChangeEvent event(String externalId, Operation op, long lsn, Map<String, Object> payload) {
        try {
            return ChangeEvent.of(partition.sourceId(), partition.entity(), externalId, op, lsn, clock.instant(),
                    Origin.CDC, payload);
        } catch (IllegalArgumentException e) {
            throw new RecordRejectedException(e.getMessage());
        }
    }

    private String externalId(@Nullable Struct row, String op) {
        if (row == null) {
            throw new RecordRejectedException("change record (op " + op + ") has no row image");
        }
        Field key = row.schema().field(table.keyColumn());
        Object value = key == null ? null : row.get(key);
        if (value == null) {
            throw new RecordRejectedException("key column '" + table.keyColumn() + "' is missing or null (a delete"
                    + " needs it in the replica identity)");
        }
        return text(key.schema(), value);
    }

    /** A column's value as the writer's fields take it: a string, or null. */
    static @Nullable String text(Schema schema, @Nullable Object value) {
        if (value == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "io.debezium.time.ZonedTimestamp":
                    return Instant.parse((String) value).toString();
                case "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Timestamp":
                    return value instanceof java.util.Date date ? date.toInstant().toString()
                            : Instant.ofEpochMilli((Long) value).toString();
                case "io.debezium.time.MicroTimestamp":
                    return Instant.EPOCH.plusNanos(Math.multiplyExact((Long) value, 1_000L)).toString();
                case "io.debezium.time.NanoTimestamp":
                    return Instant.EPOCH.plusNanos((Long) value).toString();
                case "io.debezium.time.Date":
                    return LocalDate.ofEpochDay((Integer) value).toString();
                default:
                    break;
            }
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            return Base64.getEncoder().encodeToString(buffer.array());
        }
        return value.toString();
    }
}
