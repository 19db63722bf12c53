package io.tributary.bench.writer;

import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventSerializer;
import io.tributary.model.ChangeKey;
import io.tributary.model.ChangeTopics;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.EntityCatalog;
import io.tributary.writer.entity.EventMapper;
import io.tributary.writer.entity.RowChange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The steps of bench/writer-apply.sh (issue 9b), each printing one {@code key=value} result line:
 * <pre>
 *   produce BOOTSTRAP RECORDS PARTITIONS   the forum's change events into the change topics
 *   raw DIR RECORDS BATCH                   the same rows with plain JDBC into empty SQLite files (two variants)
 *   await METRICS_URL RECORDS [PID]             waits until the writer applied RECORDS rows; the writer's rate
 * </pre>
 */
public final class WriterApplyBench {

    static final long SEED = 42;
    private static final Pattern APPLIED = Pattern.compile(
            "^tributary_writer_applied_total\\{[^}]*outcome=\"applied\"[^}]*\\} (\\S+)$", Pattern.MULTILINE);

    private WriterApplyBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "produce" -> produce(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args.length > 4 ? args[4] : "lz4");
            case "raw" -> raw(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "await" -> await(args[1], Integer.parseInt(args[2]), args.length > 3 ? Long.parseLong(args[3]) : 0);
            default -> {
                System.err.println("usage: produce BOOTSTRAP RECORDS PARTITIONS [COMPRESSION] | raw DIR RECORDS BATCH"
                        + " | await METRICS_URL RECORDS");
                System.exit(2);
            }
        }
    }

    private static void produce(String bootstrap, int records, int partitions, String compression) throws Exception {
        List<ChangeEvent> events = ForumEvents.generate(records, SEED);
        Set<String> entities = events.stream().map(ChangeEvent::entity).collect(Collectors.toSet());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String entity : entities) {
                topics.add(new NewTopic(ChangeTopics.forEntity(entity), partitions, (short) 1));
                topics.add(new NewTopic(ChangeTopics.deadLetterOf(ChangeTopics.forEntity(entity)), partitions, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        long started = System.nanoTime();
        try (KafkaProducer<String, ChangeEvent> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ChangeEventSerializer())) {
            for (ChangeEvent event : events) {
                producer.send(new ProducerRecord<>(ChangeTopics.forEntity(event.entity()),
                        new ChangeKey(event.sourceId(), event.externalId()).encode(), event));
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("produced=%d seconds=%.2f rate=%.0f%n", records, seconds, records / seconds);
    }

    private static void raw(Path dir, int records, int batch) throws Exception {
        EntityCatalog catalog = EntityCatalog.forum();
        EventMapper mapper = new EventMapper(catalog);
        List<RowChange> rows = ForumEvents.generate(records, SEED).stream().map(mapper::map).toList();
        Files.createDirectories(dir);
        long written;
        double seconds;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu;
        try (WriterDatabase database = RawJdbc.emptyDatabase(dir.resolve("raw-writer-statements.db"))) {
            long started = System.nanoTime();
            cpu = threads.getCurrentThreadCpuTime();
            written = RawJdbc.writerStatements(database, rows, batch);
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            seconds = (System.nanoTime() - started) / 1e9;
        }
        System.out.printf("raw_writer_statements rows=%d seconds=%.2f rate=%.0f cpu_us_per_row=%.1f%n", written, seconds,
                written / seconds, cpu / 1e3 / written);
        try (WriterDatabase database = RawJdbc.emptyDatabase(dir.resolve("raw-plain-inserts.db"))) {
            long started = System.nanoTime();
            cpu = threads.getCurrentThreadCpuTime();
            written = RawJdbc.plainInserts(database, catalog, rows, batch);
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            seconds = (System.nanoTime() - started) / 1e9;
        }
        System.out.printf("raw_plain_inserts rows=%d seconds=%.2f rate=%.0f cpu_us_per_row=%.1f%n", written, seconds,
                written / seconds, cpu / 1e3 / written);
    }

    /**
     * Polls the writer's applied counter (cheap, unlike {@code /status}, which counts rows on the writer's one
     * SQLite connection) every 200 ms (each scrape costs the writer CPU: at 20 ms they took a fifth of its samples,
     * the rate's error at 200 ms is under 2 % of a 10 s run); the rate is measured from the first applied row to the last, so the
     * writer's JVM start and partition assignment are left out.
     */
    private static void await(String metricsUrl, int records, long pid) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10)).build();
        long first = 0;
        double firstApplied = 0;
        double firstCpu = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            double applied = 0;
            try {
                Matcher m = APPLIED.matcher(client.send(request, HttpResponse.BodyHandlers.ofString()).body());
                while (m.find()) {
                    applied += Double.parseDouble(m.group(1));
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            long now = System.nanoTime();
            if (first == 0 && applied > 0) {
                first = now;
                firstApplied = applied;
                firstCpu = cpuSeconds(pid);
            }
            if (applied >= records) {
                double seconds = (now - first) / 1e9;
                double cpuMicros = (cpuSeconds(pid) - firstCpu) * 1e6 / (applied - firstApplied);
                System.out.printf("writer rows=%.0f seconds=%.2f rate=%.0f cpu_us_per_row=%.1f%n", applied - firstApplied,
                        seconds, (applied - firstApplied) / seconds, cpuMicros);
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The writer did not apply " + records + " rows within 30 minutes");
    }

    /**
     * The whole writer process's CPU seconds (user + system, every thread: consumer, GC, JIT, SQLite), from
     * /proc/PID/stat; 0 without a pid. Unlike rows per wall-clock second, CPU per row hardly moves when other
     * processes compete for the cores, so the writer's share of the raw limit is also given by CPU.
     */
    private static double cpuSeconds(long pid) throws java.io.IOException {
        if (pid <= 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the command: state is field 3 of the file, so utime (14) and stime (15) are at 11 and 12 here.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }
}
