package io.tributary.poller.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.ChangeEvent;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.model.spi.SourceCursor;
import io.tributary.model.spi.SourcePartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReaderImpl;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The {@code cdc} kind's pure parts: its properties as the runtime binds them, the mapping of Debezium's change
 * records (envelopes built here as the PostgreSQL connector shapes them) and the cursor ↔ offset round trip.
 * The engine itself runs against a real PostgreSQL in {@code CdcSyncIT} (sync-e2e-tests).
 */
class CdcSourceKindTest {

    private static final String PREFIX = "tributary.poller.sources[0]";
    private static final SourcePartition MESSAGES = new SourcePartition("forum-pg", "messages");
    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");

    private static final Schema ROW = SchemaBuilder.struct().optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("topic_id", Schema.INT64_SCHEMA)
            .field("parent_id", Schema.OPTIONAL_INT64_SCHEMA)
            .field("body", Schema.OPTIONAL_STRING_SCHEMA)
            .field("created_at", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").build())
            .field("updated_at", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build())
            .build();
    private static final Schema SOURCE = SchemaBuilder.struct()
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct()
            .field("before", ROW).field("after", ROW).field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();

    // ---- properties -----------------------------------------------------------------------------------

    @Test
    void defaultsAndEngineProperties() {
        CdcProperties properties = bind(Map.of(PREFIX + ".host", "db.internal", PREFIX + ".database", "forum",
                PREFIX + ".user", "tributary_cdc", PREFIX + ".password", "s3cret"));

        assertThat(properties.port()).isEqualTo(5432);
        assertThat(properties.snapshotMode()).isEqualTo("initial");
        assertThat(properties.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.table("users")).isEqualTo(new CdcProperties.Table("", "id", Map.of()));
        Properties engine = properties.engineProperties(MESSAGES);
        assertThat(engine).containsEntry("plugin.name", "pgoutput")
                .containsEntry("slot.name", "tributary_forum_pg_messages")
                .containsEntry("publication.name", "tributary_forum_pg_messages")
                .containsEntry("table.include.list", "public\\.messages")
                .containsEntry("offset.storage", CursorOffsetStore.class.getName())
                .containsEntry("database.password", "s3cret");
        assertThat(properties.toString()).doesNotContain("s3cret").contains("password=****");
    }

    @Test
    void tablesColumnsAndPassThroughPropertiesBind() {
        Map<String, String> source = new HashMap<>(Map.of(PREFIX + ".host", "h", PREFIX + ".database", "d",
                PREFIX + ".user", "u", PREFIX + ".tables.messages.name", "forum.posts",
                PREFIX + ".tables.messages.key-column", "post_id", PREFIX + ".tables.messages.columns.body", "text",
                PREFIX + ".debezium[publication.autocreate.mode]", "disabled"));
        CdcProperties properties = bind(source);

        assertThat(properties.table("messages")).isEqualTo(new CdcProperties.Table("forum.posts", "post_id", Map.of("body", "text")));
        assertThat(properties.engineProperties(MESSAGES)).containsEntry("table.include.list", "forum\\.posts")
                .containsEntry("publication.autocreate.mode", "disabled");
    }

    @Test
    void invalidSettingsFailTheBindNamingTheSource() {
        assertThatThrownBy(() -> bind(Map.of(PREFIX + ".host", "h", PREFIX + ".user", "u")))
                .isInstanceOf(BindException.class).hasMessageContaining(PREFIX)
                .rootCause().hasMessageContaining("database is required");
        assertThatThrownBy(() -> bind(Map.of(PREFIX + ".host", "h", PREFIX + ".database", "d", PREFIX + ".user", "u",
                PREFIX + ".snapshot-mode", "always")))
                .rootCause().hasMessageContaining("snapshot-mode");
        assertThatThrownBy(() -> bind(Map.of(PREFIX + ".host", "h", PREFIX + ".database", "d", PREFIX + ".user", "u",
                PREFIX + ".tables.users.name", "users; drop table x")))
                .rootCause().hasMessageContaining("schema.table");
    }

    @Test
    void slotNamesAreValidPostgresIdentifiers() {
        String long63 = "a".repeat(60);
        assertThat(CdcProperties.slotName(new SourcePartition("crm-eu", "users"))).isEqualTo("tributary_crm_eu_users");
        assertThat(CdcProperties.slotName(new SourcePartition(long63, "messages"))).hasSize(63).matches("[a-z0-9_]+");
    }

    // ---- record mapping -------------------------------------------------------------------------------

    @Test
    void insertUpdateAndSnapshotBecomeUpsertsOfStrings() {
        CdcRecordMapper mapper = mapper(new CdcProperties.Table("", "id", Map.of()));

        ChangeEvent insert = mapper.map(record("c", null, row(42, 7, null, "hello"), 5_000L), OptionalLong.of(100)).orElseThrow();
        assertThat(insert).isEqualTo(ChangeEvent.of("forum-pg", "messages", "42", Operation.UPSERT, 5_000L, NOW,
                Origin.CDC, payload("7", null, "hello")));

        ChangeEvent snapshot = mapper.map(record("r", null, row(42, 7, 41L, "hi"), 9_000L), OptionalLong.of(100)).orElseThrow();
        assertThat(snapshot.sourceVersion()).as("a snapshot read takes the snapshot's version").isEqualTo(100);
        assertThat(snapshot.payload()).containsEntry("parent_id", "41");
        assertThat(mapper.map(record("r", null, row(42, 7, 41L, "hi"), 9_000L), OptionalLong.empty()).orElseThrow()
                .sourceVersion()).as("without one, its LSN").isEqualTo(9_000L);
        assertThat(CdcRecordMapper.committedAt(record("c", null, row(1, 7, null, "x"), 10L))).isEqualTo(1L);
        assertThat(CdcRecordMapper.committedAt(record("r", null, row(1, 7, null, "x"), 10L))).as("a snapshot read").isZero();
    }

    @Test
    void deleteBecomesADeleteKeyedByTheBeforeImage() {
        Struct keyOnly = new Struct(ROW).put("id", 42L).put("topic_id", 0L).put("created_at", "1970-01-01T00:00:00Z")
                .put("updated_at", 0L);
        ChangeEvent delete = mapper(new CdcProperties.Table("", "id", Map.of()))
                .map(record("d", keyOnly, null, 6_000L), OptionalLong.empty()).orElseThrow();

        assertThat(delete.op()).isEqualTo(Operation.DELETE);
        assertThat(delete.externalId()).isEqualTo("42");
        assertThat(delete.sourceVersion()).isEqualTo(6_000L);
        assertThat(delete.payload()).isEmpty();
    }

    @Test
    void columnMappingRenamesAndSelects() {
        CdcRecordMapper mapper = mapper(new CdcProperties.Table("", "id", Map.of("text", "body", "thread", "topic_id")));

        ChangeEvent event = mapper.map(record("u", null, row(1, 7, null, "x"), 10L), OptionalLong.empty()).orElseThrow();

        assertThat(event.payload()).containsExactly(Map.entry("text", "x"), Map.entry("thread", "7"));
        assertThatThrownBy(() -> mapper(new CdcProperties.Table("", "id", Map.of("title", "title")))
                .map(record("u", null, row(1, 7, null, "x"), 10L), OptionalLong.empty()))
                .isInstanceOf(RecordRejectedException.class).hasMessageContaining("'title'");
    }

    @Test
    void heartbeatsAndTruncatesCarryNoEvent() {
        Schema heartbeat = SchemaBuilder.struct().field("ts_ms", Schema.INT64_SCHEMA).build();
        SourceRecord beat = new SourceRecord(Map.of("server", "x"), Map.of("lsn", 1L), "__debezium-heartbeat.x", heartbeat,
                new Struct(heartbeat).put("ts_ms", 1L));
        CdcRecordMapper mapper = mapper(new CdcProperties.Table("", "id", Map.of()));

        assertThat(mapper.map(beat, OptionalLong.empty())).isEmpty();
        assertThat(mapper.map(record("t", null, null, 10L), OptionalLong.empty())).isEmpty();
    }

    @Test
    void aRowWithoutItsKeyOrLsnIsRejected() {
        CdcRecordMapper mapper = mapper(new CdcProperties.Table("", "message_id", Map.of()));
        assertThatThrownBy(() -> mapper.map(record("c", null, row(1, 7, null, "x"), 10L), OptionalLong.empty()))
                .isInstanceOf(RecordRejectedException.class).hasMessageContaining("message_id");
        CdcRecordMapper byId = mapper(new CdcProperties.Table("", "id", Map.of()));
        assertThatThrownBy(() -> byId.map(record("c", null, row(1, 7, null, "x"), null), OptionalLong.empty()))
                .isInstanceOf(RecordRejectedException.class).hasMessageContaining("lsn");
    }

    // ---- cursor <-> offsets ---------------------------------------------------------------------------

    /** The seeded store must answer the engine's own offset reader, which looks offsets up by their key's bytes. */
    @Test
    void aCursorSeedsTheStoreSoThatTheEnginesReaderFindsTheOffset() throws Exception {
        Map<String, Object> offset = new LinkedHashMap<>();
        offset.put("lsn", 73_952_544L);
        offset.put("txId", 19_382L);
        offset.put("snapshot", false);
        SourceRecord record = new SourceRecord(Map.of("server", "engine-x"), offset, "t", ENVELOPE,
                new Struct(ENVELOPE).put("op", "c"));
        SourceCursor cursor = CursorOffsetStore.cursorOf("engine-x", record, OptionalLong.of(99));
        assertThat(CursorOffsetStore.snapshotVersion(cursor)).hasValue(99);

        Map<String, String> config = new HashMap<>(CursorOffsetStore.seed(Optional.of(cursor)));
        config.put("offset.storage.file.filename", "");
        config.put("bootstrap.servers", "localhost:9");  // required by WorkerConfig, never used by this store
        config.put("key.converter", JsonConverter.class.getName());
        config.put("value.converter", JsonConverter.class.getName());
        CursorOffsetStore store = new CursorOffsetStore();
        store.configure(new StandaloneConfig(config));
        store.start();
        try {
            JsonConverter keys = new JsonConverter();
            keys.configure(Map.of("schemas.enable", "false"), true);
            JsonConverter values = new JsonConverter();
            values.configure(Map.of("schemas.enable", "false"), false);
            OffsetStorageReaderImpl reader = new OffsetStorageReaderImpl(store, "engine-x", keys, values);

            assertThat(reader.offset(Map.of("server", "engine-x"))).isEqualTo(offset);
            ByteBuffer key = ByteBuffer.wrap(cursor.fields().get(CursorOffsetStore.KEY).getBytes(StandardCharsets.UTF_8));
            assertThat(store.get(List.of(key)).get(5, TimeUnit.SECONDS)).containsKey(key);
        } finally {
            store.stop();
        }
        assertThatThrownBy(() -> CursorOffsetStore.seed(Optional.of(new SourceCursor(Map.of("after", "x")))))
                .hasMessageContaining("not a cdc cursor");
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static CdcProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate(PREFIX, Bindable.of(CdcProperties.class));
    }

    private static CdcRecordMapper mapper(CdcProperties.Table table) {
        return new CdcRecordMapper(MESSAGES, table, InstantSource.fixed(NOW));
    }

    private static Struct row(long id, long topicId, Long parentId, String body) {
        return new Struct(ROW).put("id", id).put("topic_id", topicId).put("parent_id", parentId).put("body", body)
                .put("created_at", "2026-11-20T10:00:00.123456Z")
                .put("updated_at", Instant.parse("2026-11-21T10:00:00Z").atOffset(ZoneOffset.UTC).toEpochSecond() * 1_000_000L + 5);
    }

    private static Map<String, Object> payload(String topicId, String parentId, String body) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("topic_id", topicId);
        payload.put("parent_id", parentId);
        payload.put("body", body);
        payload.put("created_at", "2026-11-20T10:00:00.123456Z");
        payload.put("updated_at", "2026-11-21T10:00:00.000005Z");
        return payload;
    }

    private static SourceRecord record(String op, Struct before, Struct after, Long lsn) {
        Struct envelope = new Struct(ENVELOPE).put("op", op).put("before", before).put("after", after)
                .put("source", new Struct(SOURCE).put("lsn", lsn).put("ts_ms", 1L));
        return new SourceRecord(Map.of("server", "x"), Map.of("lsn", lsn == null ? 0L : lsn), "t", ENVELOPE, envelope);
    }
}
