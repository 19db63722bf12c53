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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The writer's listener work per event (decode the JSON bytes, validate and map, apply through
 * {@link BatchApplier} into a fresh SQLite file) timed by the applying thread's CPU time as well as by the wall
 * clock. SQLite runs on the calling thread (JNI), so the thread's CPU time is the work's cost even when other
 * processes compete for the cores, where wall-clock figures (JMH's) move by ±50 %. Variants run alternately
 * (A B A B ...) so that a drift of the machine affects each alike.
 *
 * <p>Usage: {@code ApplyCpuBench ROWS ROUNDS ORDER...} with ORDER {@code parents} (parents first, as
 * {@link BatchApplierBenchmark}) or {@code interleaved} (the four entities round-robin, as an initial sync
 * delivers them), each also as {@code parents-known} / {@code interleaved-known} (decision 0013's cache of committed
 * keys on); a system property {@code tributary.bench.sqlite-url-suffix} adds URL parameters.
 */
public final class ApplyCpuBench {

    private static final int BATCH = Integer.getInteger("batch", 2000);

    private ApplyCpuBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<String> orders = List.of(args).subList(2, args.length);
        EntityCatalog catalog = EntityCatalog.forum();
        List<ChangeEvent> events = ForumEvents.generate(rows, WriterApplyBench.SEED);
        List<byte[]> parentsFirst = events.stream().map(ChangeEventJson::write).toList();
        EventMapper mapper = new EventMapper(catalog);
        List<byte[]> interleaved = BatchApplierBenchmark.interleave(events, ChangeEvent::entity).stream()
                .map(ChangeEventJson::write).toList();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round <= rounds; round++) {
            for (String order : orders) {
                List<byte[]> input = order.startsWith("interleaved") ? interleaved : parentsFirst;
                Path dir = Files.createTempDirectory("apply-cpu");
                try (WriterDatabase database = RawJdbc.emptyDatabase(dir.resolve("main.db"))) {
                    // "-known": with decision 0013's cache of committed keys (off in the service)
                    BatchApplier applier = order.endsWith("-known")
                            ? new BatchApplier(database, catalog, Clock.systemUTC(), 50_000)
                            : new BatchApplier(database, catalog, Clock.systemUTC());
                    ChangeEventDeserializer deserializer = new ChangeEventDeserializer();
                    long written = bytesWritten();
                    long cpu = threads.getCurrentThreadCpuTime();
                    long wall = System.nanoTime();
                    for (int from = 0; from < input.size(); from += BATCH) {
                        List<byte[]> chunk = input.subList(from, Math.min(input.size(), from + BATCH));
                        List<RowChange> mapped = new ArrayList<>(chunk.size());
                        for (byte[] bytes : chunk) {
                            ChangeEvent event = deserializer.deserialize(null, bytes);
                            mapped.add(mapper.map(ChangeTopics.forEntity(event.entity()), event));
                        }
                        applier.apply(mapped);
                    }
                    double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / rows;
                    double wallMicros = (System.nanoTime() - wall) / 1e3 / rows;
                    double kibPerRow = (bytesWritten() - written) / 1024.0 / rows;
                    System.out.printf(Locale.ROOT, "%s round %d %-12s cpu %6.1f us/row  wall %6.1f us/row (%,.0f rows/s)  written %5.2f KiB/row%n",
                            round == 0 ? "warm-up" : "measure", round, order, cpuMicros, wallMicros, 1e6 / wallMicros,
                            kibPerRow);
                } finally {
                    try (var files = Files.list(dir)) {
                        for (Path file : files.toList()) {
                            Files.delete(file);
                        }
                    }
                    Files.delete(dir);
                }
            }
        }
    }

    /** Bytes this process passed to write(2) and friends ({@code wchar} of /proc/self/io): load-independent. */
    private static long bytesWritten() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        return 0;
    }
}
