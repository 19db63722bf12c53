package io.tributary.bench.writer;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventDeserializer;
import io.tributary.model.ChangeEventJson;
import io.tributary.model.ChangeTopics;
import io.tributary.writer.apply.BatchApplier;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EventMapper;
import io.tributary.writer.entity.RowChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH benchmark of the writer's apply path, without Kafka: each invocation writes a forum of {@code rows}
 * change events in batches of {@code batch} (the writer's {@code max-poll-records}) into a fresh SQLite file.
 * Divide {@code rows} by the reported time for rows/s.
 * <ul>
 *   <li>{@code initialApply}: mapped changes through {@link BatchApplier} (collapse, placeholders, upserts);
 *       {@code initialApplyWithoutKnownRows} the same without remembering committed keys (before decision 0013)</li>
 *   <li>{@code initialFromBytes}: the same from the JSON bytes a consumer receives — deserialize, validate
 *       and map ({@link EventMapper}), then apply: the listener's whole work per poll</li>
 *   <li>{@code decodeOnly}: deserialize and map only, no database</li>
 *   <li>{@code updateApply}: the same rows again with newer versions, in random order, over a filled database</li>
 *   <li>{@code rawJdbc}: the writer's upsert statements with plain JDBC ({@link RawJdbc}), the limit</li>
 * </ul>
 * Run: {@code bench/writer-jmh.sh} (or any JMH options after it, e.g. {@code bench/writer-jmh.sh initialApply}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class BatchApplierBenchmark {

    @Param("100000")
    int rows;

    @Param("2000")
    int batch;

    private final EntityCatalog catalog = EntityCatalog.forum();
    private final EventMapper mapper = new EventMapper(catalog);
    private final ChangeEventDeserializer deserializer = new ChangeEventDeserializer();
    private List<ChangeEvent> events;
    private List<byte[]> json;
    private List<RowChange> changes;
    private List<RowChange> updates;
    private List<RowChange> interleaved;
    private Path dir;
    private WriterDatabase database;
    private BatchApplier applier;
    private BatchApplier applierWithoutKnownRows;

    @Setup(Level.Trial)
    public void generate() {
        events = ForumEvents.generate(rows, WriterApplyBench.SEED);
        json = events.stream().map(ChangeEventJson::write).toList();
        changes = events.stream().map(mapper::map).toList();
        List<RowChange> newer = new ArrayList<>(events.stream().map(e -> mapper.map(ForumEvents.newer(e, 1_000_000_000L))).toList());
        Collections.shuffle(newer, new Random(7));
        updates = newer;
        interleaved = interleave(changes, change -> change.entity().name());
    }

    /**
     * The changes as the writer receives them in an initial sync: every entity's topic is published at once, at
     * about the same rate, so one poll holds records of all four and children arrive before their parents.
     * Round-robin over the entities, each keeping its own order.
     */
    static <T> List<T> interleave(List<T> changes, java.util.function.Function<T, String> entity) {
        java.util.Map<String, java.util.ArrayDeque<T>> byEntity = new java.util.LinkedHashMap<>();
        for (T change : changes) {
            byEntity.computeIfAbsent(entity.apply(change), e -> new java.util.ArrayDeque<>()).add(change);
        }
        List<T> out = new ArrayList<>(changes.size());
        while (out.size() < changes.size()) {
            for (java.util.ArrayDeque<T> queue : byEntity.values()) {
                if (!queue.isEmpty()) {
                    out.add(queue.poll());
                }
            }
        }
        return out;
    }

    @Setup(Level.Invocation)
    public void emptyDatabase() throws IOException {
        dir = Files.createTempDirectory("writer-jmh");
        database = RawJdbc.emptyDatabase(dir.resolve("main.db"));
        applier = new BatchApplier(database, catalog, Clock.systemUTC());
        applierWithoutKnownRows = new BatchApplier(database, catalog, Clock.systemUTC(), 0);
    }

    @TearDown(Level.Invocation)
    public void deleteDatabase() throws IOException {
        database.close();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Benchmark
    public void initialApply() throws SQLException {
        applyAll(changes);
    }

    /** As before decision 0013: a placeholder statement for every referenced key not written earlier in the batch. */
    /** As {@link #initialApply}, in the order an initial sync delivers: entities interleaved (see {@link #interleave}). */
    @Benchmark
    public void initialApplyInterleaved() throws SQLException {
        applyAll(interleaved);
    }

    @Benchmark
    public void initialApplyWithoutKnownRows() throws SQLException {
        for (int from = 0; from < changes.size(); from += batch) {
            applierWithoutKnownRows.apply(changes.subList(from, Math.min(changes.size(), from + batch)));
        }
    }

    @Benchmark
    public void initialFromBytes() throws SQLException {
        for (int from = 0; from < json.size(); from += batch) {
            List<byte[]> chunk = json.subList(from, Math.min(json.size(), from + batch));
            List<RowChange> mapped = new ArrayList<>(chunk.size());
            for (byte[] bytes : chunk) {
                ChangeEvent event = deserializer.deserialize(null, bytes);
                mapped.add(mapper.map(ChangeTopics.forEntity(event.entity()), event));
            }
            applier.apply(mapped);
        }
    }

    @Benchmark
    public void decodeOnly(Blackhole blackhole) {
        for (byte[] bytes : json) {
            ChangeEvent event = deserializer.deserialize(null, bytes);
            blackhole.consume(mapper.map(ChangeTopics.forEntity(event.entity()), event));
        }
    }

    /** Fill, then update every row: subtract initialApply for the update pass. */
    @Benchmark
    public void initialThenUpdateApply() throws SQLException {
        applyAll(changes);
        applyAll(updates);
    }

    @Benchmark
    public void rawJdbc(Blackhole blackhole) throws SQLException {
        blackhole.consume(RawJdbc.writerStatements(database, changes, batch));
    }

    private void applyAll(List<RowChange> rowChanges) throws SQLException {
        for (int from = 0; from < rowChanges.size(); from += batch) {
            applier.apply(rowChanges.subList(from, Math.min(rowChanges.size(), from + batch)));
        }
    }
}
