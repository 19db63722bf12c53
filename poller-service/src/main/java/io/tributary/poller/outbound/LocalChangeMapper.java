package io.tributary.poller.outbound;

import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.outbound.LocalChange;
import io.tributary.model.outbound.LocalOperation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;

/**
 * The echo rule on PostgreSQL (decision 0024), over a Debezium change record of a two-way table with
 * {@code REPLICA IDENTITY FULL} (so an update and a delete carry the whole row before): the same rule as the
 * SQLite triggers. A change is the application's iff it leaves the writer's columns ({@code source_version},
 * {@code external_id}, {@code synced_at}) as they were:
 * <ul>
 *   <li>insert with no external id: CREATE, base version the row's;</li>
 *   <li>update of a live row changing a configured column: UPDATE; setting {@code deleted}: DELETE;</li>
 *   <li>delete of a live row with an external id: DELETE.</li>
 * </ul>
 * Every other record (the writer's writes, heartbeats, snapshot reads, truncates) maps to nothing. Position =
 * the change's LSN, commit time = {@code source.ts_ms}, fields = every column but the writer's, as stored.
 *
 * <p>A large value stored out of line (TOAST) that an update leaves unchanged is not in pgoutput's new row; Debezium
 * takes it from the full row before (REPLICA IDENTITY FULL), and where it cannot, puts {@link #UNAVAILABLE} in its
 * place. That placeholder must never reach the source as the column's value: it is replaced by the value before, and
 * a change where that is missing too is rejected, naming the column.
 */
final class LocalChangeMapper {

    static final Set<String> WRITER_COLUMNS = Set.of("id", "source_id", "external_id", "source_version", "deleted",
            "synced_at");
    /** Debezium's {@code unavailable.value.placeholder}, set to this in the engine's configuration. */
    static final String UNAVAILABLE = "__debezium_unavailable_value";
    private static final ByteBuffer UNAVAILABLE_BYTES = ByteBuffer.wrap(UNAVAILABLE.getBytes(StandardCharsets.UTF_8));

    private LocalChangeMapper() {
    }

    static Optional<LocalChange> map(SourceRecord record) {
        if (!(record.value() instanceof Struct envelope) || envelope.schema().field("op") == null) {
            return Optional.empty();
        }
        String op = envelope.getString("op");
        Struct source = envelope.getStruct("source");
        String entity = source.getString("table");
        Long lsn = source.getInt64("lsn");
        if (lsn == null || lsn < 1) {
            throw new RecordRejectedException("change of " + entity + " (op " + op + ") carries no source.lsn");
        }
        Instant changedAt = Instant.ofEpochMilli(source.getInt64("ts_ms"));
        Struct before = envelope.getStruct("before");
        Struct after = envelope.getStruct("after");
        return switch (op) {
            case "c" -> after.get("external_id") == null
                    ? Optional.of(change(after, entity, LocalOperation.CREATE, number(after, "source_version"),
                            changedAt, lsn, fields(after, null, entity)))
                    : Optional.empty();
            case "u" -> update(requireBefore(before, entity, op), after, entity, changedAt, lsn);
            case "d" -> {
                Struct row = requireBefore(before, entity, op);
                yield number(row, "deleted") == 0 && row.get("external_id") != null
                        ? Optional.of(change(row, entity, LocalOperation.DELETE, number(row, "source_version"),
                                changedAt, lsn, Map.of()))
                        : Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    private static Optional<LocalChange> update(Struct before, Struct after, String entity, Instant changedAt,
            long lsn) {
        boolean writers = !Objects.equals(before.get("source_version"), after.get("source_version"))
                || !Objects.equals(before.get("external_id"), after.get("external_id"))
                || !Objects.equals(before.get("synced_at"), after.get("synced_at"));
        if (writers || number(before, "deleted") != 0) {
            return Optional.empty();
        }
        long base = number(before, "source_version");
        if (number(after, "deleted") != 0) {
            return Optional.of(change(after, entity, LocalOperation.DELETE, base, changedAt, lsn, Map.of()));
        }
        Map<String, @Nullable Object> fields = fields(after, before, entity);
        return fields.equals(fields(before, null, entity)) ? Optional.empty()
                : Optional.of(change(after, entity, LocalOperation.UPDATE, base, changedAt, lsn, fields));
    }

    private static LocalChange change(Struct row, String entity, LocalOperation op, long base, Instant changedAt,
            long lsn, Map<String, @Nullable Object> fields) {
        Object externalId = row.get("external_id");
        try {
            return LocalChange.of(row.getString("source_id"), entity, number(row, "id"),
                    externalId == null ? null : externalId.toString(), op, base, changedAt, lsn, fields);
        } catch (IllegalArgumentException e) {
            throw new RecordRejectedException("change of " + entity + " row " + row.get("id") + ": " + e.getMessage());
        }
    }

    private static Struct requireBefore(@Nullable Struct before, String entity, String op) {
        if (before == null || before.schema().field("source_version") == null) {
            throw new RecordRejectedException("change of " + entity + " (op " + op + ") has no full row before it:"
                    + " the table needs REPLICA IDENTITY FULL (the writer sets it for entities marked two-way)");
        }
        return before;
    }

    /**
     * The configured columns as stored: numbers as long or double, text as string, bytes as base64; a value the
     * change does not carry ({@link #UNAVAILABLE}) taken from {@code before}, the same row before the change.
     */
    private static Map<String, @Nullable Object> fields(Struct row, @Nullable Struct before, String entity) {
        Map<String, @Nullable Object> fields = new LinkedHashMap<>();
        for (Field field : row.schema().fields()) {
            if (!WRITER_COLUMNS.contains(field.name())) {
                Object value = row.get(field);
                if (isUnavailable(value)) {
                    Object previous = before == null || before.schema().field(field.name()) == null ? null
                            : before.get(field.name());
                    if (previous == null || isUnavailable(previous)) {
                        throw new RecordRejectedException("change of " + entity + " row " + row.get("id")
                                + ": the value of column '" + field.name() + "' is not in the change (stored out of"
                                + " line and left unchanged, and not in the row before it); not published, so that"
                                + " Debezium's placeholder never reaches the source");
                    }
                    value = previous;
                }
                fields.put(field.name(), value(value));
            }
        }
        return fields;
    }

    private static boolean isUnavailable(@Nullable Object value) {
        return UNAVAILABLE.equals(value) || value instanceof ByteBuffer buffer && UNAVAILABLE_BYTES.equals(buffer)
                || value instanceof byte[] bytes && UNAVAILABLE_BYTES.equals(ByteBuffer.wrap(bytes));
    }

    private static @Nullable Object value(@Nullable Object value) {
        if (value == null || value instanceof Long || value instanceof Double || value instanceof Boolean
                || value instanceof String) {
            return value;
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof ByteBuffer buffer) {
            return Base64.getEncoder().encodeToString(buffer.array());
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }

    private static long number(Struct row, String column) {
        Object value = row.get(column);
        if (!(value instanceof Number number)) {
            throw new RecordRejectedException("column '" + column + "' is missing or not a number");
        }
        return number.longValue();
    }
}
