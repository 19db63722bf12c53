package io.tributary.poller.cdc;

import io.tributary.model.spi.SourceCursor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offset store for one engine, seeded with the partition's committed cursor: the durable copy of
 * the offsets is the cursor in the poller's checkpoint topic (decision 0005), written by the runtime after the
 * events it covers were acknowledged. The engine's own flushes only land in memory (and, through the
 * connector's commit, confirm the LSN to PostgreSQL's slot).
 *
 * <p>A cursor holds Debezium's offset entry as the engine stores it: {@value #KEY} = the JSON key
 * {@code [engine name, source partition]}, {@value #VALUE} = the JSON offset map, both written by the same
 * schemaless {@link JsonConverter} the engine reads them with, so the bytes match.
 *
 * <p>Public with a public no-argument constructor because the engine instantiates it by class name; the outbound
 * capture (decision 0024) keeps its engine's offsets the same way, through {@link #cursorOf} and {@link #seed}.
 */
public final class CursorOffsetStore extends MemoryOffsetBackingStore {

    static final String KEY = "offset-key";
    static final String VALUE = "offset-value";
    /** The version given to snapshot reads (decision 0012), kept so that a snapshot resumed after a failure reuses it. */
    static final String SNAPSHOT_VERSION = "snapshot-version";
    /** Engine properties carrying the committed cursor into {@link #configure}. */
    static final String SEED_KEY = "tributary.cdc.seed.offset-key";
    static final String SEED_VALUE = "tributary.cdc.seed.offset-value";

    public CursorOffsetStore() {
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Object key = config.originals().get(SEED_KEY);
        Object value = config.originals().get(SEED_VALUE);
        if (key != null && value != null) {
            data.put(bytes(key.toString()), bytes(value.toString()));
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of();
    }

    /** The cursor covering {@code record} and every record of the engine before it. */
    public static SourceCursor cursorOf(String engineName, SourceRecord record, OptionalLong snapshotVersion) {
        Map<String, String> fields = new HashMap<>();
        fields.put(KEY, json(true, List.of(engineName, record.sourcePartition())));
        fields.put(VALUE, json(false, record.sourceOffset()));
        snapshotVersion.ifPresent(version -> fields.put(SNAPSHOT_VERSION, Long.toString(version)));
        return new SourceCursor(fields);
    }

    /** The snapshot version a cursor carries, if any. */
    static OptionalLong snapshotVersion(SourceCursor cursor) {
        String version = cursor.fields().get(SNAPSHOT_VERSION);
        return version == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(version));
    }

    /** The engine properties that seed a store with {@code cursor}; empty without one. */
    public static Map<String, String> seed(Optional<SourceCursor> cursor) {
        Map<String, String> seed = new HashMap<>();
        cursor.ifPresent(c -> {
            String key = c.fields().get(KEY);
            String value = c.fields().get(VALUE);
            if (key == null || value == null) {
                throw new IllegalStateException("Checkpoint " + c.sorted() + " is not a cdc cursor (" + KEY + ", "
                        + VALUE + ")");
            }
            seed.put(SEED_KEY, key);
            seed.put(SEED_VALUE, value);
        });
        return seed;
    }

    private static String json(boolean isKey, Object value) {
        try (JsonConverter converter = new JsonConverter()) {
            converter.configure(Map.of("schemas.enable", "false"), isKey);
            return new String(converter.fromConnectData("", null, value), StandardCharsets.UTF_8);
        }
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
