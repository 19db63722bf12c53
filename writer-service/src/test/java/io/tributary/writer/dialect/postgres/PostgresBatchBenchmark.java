package io.tributary.writer.dialect.postgres;

import io.tributary.model.ChangeEvent;
import io.tributary.writer.PostgresTestDatabase;
import io.tributary.writer.TestEvents;
import io.tributary.writer.apply.BatchApplier;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EventMapper;
import io.tributary.writer.entity.RowChange;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * NOT a test: a repeatable harness comparing ways of batching the writer's upserts into PostgreSQL (the
 * figures in docs/benchmarks.md). For each variant, on a fresh database (durable commits, the server's
 * defaults): insert N messages (with their users and topics) in batches of 2000, then upsert all of them
 * again with a newer version in random key order (updates), then replay the same (stale: writes nothing).
 * Each phase is run over the applier itself, so what is measured is what the writer does.
 *
 * <pre>
 * cd /work/main && ./mvnw -q -o -pl writer-service test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp writer-service/target/test-classes:writer-service/target/classes:$(cat writer-service/target/cp.txt) \
 *      io.tributary.writer.dialect.postgres.PostgresBatchBenchmark 100000
 * </pre>
 */
public final class PostgresBatchBenchmark {

    private record Variant(String name, int rowsPerStatement, boolean rewrite) {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<Variant> variants = List.of(
                new Variant("JDBC batch, 1 row/statement", 1, false),
                new Variant("JDBC batch + reWriteBatchedInserts", 1, true),
                new Variant("multi-row VALUES, 10 rows/statement", 10, false),
                new Variant("multi-row VALUES, 25 rows/statement", 25, false),
                new Variant("multi-row VALUES, 50 rows/statement", 50, false),
                new Variant("multi-row VALUES, 100 rows/statement", 100, false),
                new Variant("multi-row VALUES, 200 rows/statement", 200, false),
                new Variant("multi-row VALUES, 1000 rows/statement", 1000, false));
        EntityCatalog catalog = EntityCatalog.forum();
        EventMapper mapper = new EventMapper(catalog);
        List<RowChange> inserts = changes(mapper, rows, 1, new Random(1));
        List<RowChange> updates = changes(mapper, rows, 2, new Random(2));
        System.out.printf("%d messages (+%d users, %d topics), batches of 2000; rows/s, best of %d round(s)%n", rows,
                rows / 20, rows / 50, rounds);
        System.out.printf("%-40s %12s %12s %12s%n", "variant", "insert", "update", "stale");
        // Warm-up (JIT, server caches): one small run of every variant, not reported.
        for (Variant variant : variants) {
            measure(catalog, variant, inserts.subList(0, inserts.size() / 10), updates.subList(0, updates.size() / 10));
        }
        for (Variant variant : variants) {
            double[] best = new double[3];
            for (int round = 0; round < rounds; round++) {
                double[] figures = measure(catalog, variant, inserts, updates);
                for (int k = 0; k < 3; k++) {
                    best[k] = Math.max(best[k], figures[k]);
                }
            }
            System.out.printf("%-40s %12.0f %12.0f %12.0f%n", variant.name(), best[0], best[1], best[2]);
        }
    }

    /** Rows/s of inserting, updating and replaying (stale) on a fresh database with durable commits. */
    private static double[] measure(EntityCatalog catalog, Variant variant, List<RowChange> inserts,
            List<RowChange> updates) throws SQLException {
        try (PostgresTestDatabase postgres = PostgresTestDatabase.create("bench")) {
            try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + postgres.name() + " SET synchronous_commit = on");
            }
            try (WriterDatabase database = WriterDatabase.open(postgres.properties(2),
                    List.of(new PostgresDialect(variant.rowsPerStatement(), variant.rewrite())))) {
                BatchApplier applier = new BatchApplier(database, catalog, Clock.systemUTC());
                return new double[] {run(applier, inserts), run(applier, updates), run(applier, updates)};
            }
        }
    }

    /** Messages m0..m(n-1) at {@code version}, their users and topics first, in random key order. */
    private static List<RowChange> changes(EventMapper mapper, int n, long version, Random random) {
        List<ChangeEvent> events = new ArrayList<>();
        for (int i = 0; i < n / 20; i++) {
            events.add(TestEvents.user("u" + i, version, "user " + i));
        }
        for (int i = 0; i < n / 50; i++) {
            events.add(TestEvents.topic("t" + i, version, "s" + (i % 10), "u" + (i % (n / 20)), "topic " + i));
        }
        List<ChangeEvent> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            messages.add(TestEvents.message("m" + i, version, "t" + (i % (n / 50)), "u" + (i % (n / 20)),
                    i % 4 == 0 ? null : "m" + (i - 1), "a message body of some length, version " + version + " #" + i
                            + " ".repeat(150)));
        }
        Collections.shuffle(messages, random);
        events.addAll(messages);
        return events.stream().map(mapper::map).toList();
    }

    private static double run(BatchApplier applier, List<RowChange> changes) throws SQLException {
        long started = System.nanoTime();
        for (int from = 0; from < changes.size(); from += 2000) {
            applier.apply(changes.subList(from, Math.min(changes.size(), from + 2000)));
        }
        return changes.size() / ((System.nanoTime() - started) / 1e9);
    }
}
