package io.tributary.poller.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.mapping.RecordRejectedException;
import io.tributary.model.outbound.LocalChange;
import io.tributary.model.outbound.LocalOperation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL echo rule on Debezium records built by hand, for what a real database rarely shows: Debezium's
 * placeholder for an unchanged out-of-line (TOAST) value it could not take from the row before. End to end with a real
 * TOASTed value: {@code PostgresCaptureIT}.
 */
class LocalChangeMapperTest {

    private static final Schema ROW = SchemaBuilder.struct().optional()
            .field("id", Schema.INT64_SCHEMA).field("source_id", Schema.STRING_SCHEMA)
            .field("external_id", Schema.OPTIONAL_STRING_SCHEMA).field("source_version", Schema.INT64_SCHEMA)
            .field("deleted", Schema.INT32_SCHEMA).field("synced_at", Schema.STRING_SCHEMA)
            .field("title", Schema.OPTIONAL_STRING_SCHEMA).field("cover", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("year", Schema.OPTIONAL_INT32_SCHEMA).build();
    private static final Schema SOURCE = SchemaBuilder.struct().field("table", Schema.STRING_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA)
            .field("source", SOURCE).field("before", ROW).field("after", ROW).build();
    private static final String LARGE = "x".repeat(9_000);
    private static final byte[] COVER = "a cover".getBytes(StandardCharsets.UTF_8);

    @Test
    void anUpdateCarriesItsColumnsAsStored() {
        LocalChange change = map(row(LARGE, COVER, 1959), row(LARGE, COVER, 1960)).orElseThrow();

        assertThat(change.op()).isEqualTo(LocalOperation.UPDATE);
        assertThat(change.baseVersion()).isEqualTo(100);
        assertThat(change.fields()).containsEntry("title", LARGE).containsEntry("year", 1960L)
                .containsEntry("cover", Base64.getEncoder().encodeToString(COVER));
    }

    @Test
    void aPlaceholderForAnUnchangedLargeValueIsReplacedByTheValueBefore() {
        Struct after = row(LocalChangeMapper.UNAVAILABLE,
                LocalChangeMapper.UNAVAILABLE.getBytes(StandardCharsets.UTF_8), 1960);

        LocalChange change = map(row(LARGE, COVER, 1959), after).orElseThrow();

        assertThat(change.fields()).containsEntry("title", LARGE).containsEntry("year", 1960L)
                .containsEntry("cover", Base64.getEncoder().encodeToString(COVER));
        assertThat(change.fields().values()).noneMatch(value -> String.valueOf(value).contains("unavailable"));
    }

    @Test
    void aPlaceholderWithoutTheValueBeforeIsRejectedNamingTheColumn() {
        Struct before = row(LocalChangeMapper.UNAVAILABLE, COVER, 1959);
        Struct after = row(LocalChangeMapper.UNAVAILABLE, COVER, 1960);

        assertThatThrownBy(() -> map(before, after)).isInstanceOf(RecordRejectedException.class)
                .hasMessageContaining("row 7").hasMessageContaining("column 'title' is not in the change")
                .hasMessageNotContaining(LARGE);
    }

    private static java.util.Optional<LocalChange> map(Struct before, Struct after) {
        Struct source = new Struct(SOURCE).put("table", "music_items").put("lsn", 42L).put("ts_ms", 1_000L);
        Struct envelope = new Struct(ENVELOPE).put("op", "u").put("source", source).put("before", before)
                .put("after", after);
        return LocalChangeMapper.map(new SourceRecord(Map.of(), Map.of(), "t", null, null, ENVELOPE, envelope));
    }

    private static Struct row(String title, byte[] cover, int year) {
        return new Struct(ROW).put("id", 7L).put("source_id", "music").put("external_id", "mu-7")
                .put("source_version", 100L).put("deleted", 0).put("synced_at", "2026-12-07T10:00:00Z")
                .put("title", title).put("cover", ByteBuffer.wrap(cover)).put("year", year);
    }
}
