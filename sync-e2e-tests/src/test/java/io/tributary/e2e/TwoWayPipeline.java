package io.tributary.e2e;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.model.ChangeTopics;
import io.tributary.poller.PollerApplication;
import io.tributary.writer.WriterApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One two-way pipeline for a test class: a simulator per source ({@link MusicFarSide}), the writer (two-way
 * {@code music_items}, delivery of every source) and the poller (every source polled every 300 ms, the capture,
 * reconciliation on request) on a real broker and the given main database. Either service can be stopped and
 * started again on the same database, consumer groups, checkpoints and port.
 */
final class TwoWayPipeline implements AutoCloseable {

    /** A two-way source: the example definition with its {@code conflict} policy, delivering by REST or webhooks. */
    record Source(String id, String conflict, boolean webhooks) {
    }

    /** The simulator's default outbound webhook secret ({@code forum-simulator.music.webhook-secret}). */
    private static final String RECEIVER_SECRET = "whsec_bXVzaWMtaW52ZW50b3J5LXdlYmhvb2stc2VjcmV0";
    private static final String CHANGES = ChangeTopics.forEntity("music_items");

    private final String bootstrap;
    private final TwoWayDatabase database;
    private final Map<String, MusicFarSide> sides = new LinkedHashMap<>();
    private final List<String> writerArgs = new ArrayList<>();
    private final List<String> pollerArgs = new ArrayList<>();
    private final Admin admin;
    private @Nullable ConfigurableApplicationContext writer;
    private @Nullable ConfigurableApplicationContext poller;
    private int writerPort;

    TwoWayPipeline(String bootstrap, Path dir, TwoWayDatabase database, List<Source> sources) throws Exception {
        this.bootstrap = bootstrap;
        this.database = database;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        Path token = Files.writeString(dir.resolve("token"), "music-token");
        Path secret = Files.writeString(dir.resolve("receiver-secret"), RECEIVER_SECRET);
        writerArgs.addAll(List.of(PipelineServices.writerArgs(bootstrap, dir.resolve("unused.db"))));
        writerArgs.addAll(database.writerArgs());
        writerArgs.addAll(List.of("--tributary.writer.consumer.fetch-max-wait=50ms",
                "--tributary.writer.outbound.redelivery.initial-interval=100ms",
                "--tributary.writer.outbound.redelivery.max-interval=500ms",
                "--tributary.writer.entities[0].name=music_items", "--tributary.writer.entities[0].two-way=true"));
        List<String> fields = List.of("name", "artist", "album");
        for (int i = 0; i < fields.size(); i++) {
            writerArgs.add("--tributary.writer.entities[0].fields[" + i + "].name=" + fields.get(i));
            writerArgs.add("--tributary.writer.entities[0].fields[" + i + "].type=text");
        }
        pollerArgs.addAll(database.captureArgs());
        pollerArgs.addAll(List.of("--server.port=0", "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--tributary.poller.capture.enabled=true", "--tributary.poller.capture.entities[0]=music_items",
                "--tributary.poller.reconcile.interval=0s", "--tributary.poller.reconcile.settle=0s"));
        for (int i = 0; i < sources.size(); i++) {
            Source source = sources.get(i);
            MusicFarSide side = new MusicFarSide(source.id(), dir);
            sides.put(source.id(), side);
            String example = source.webhooks() ? "music-inventory-webhooks.yaml" : "music-inventory.yaml";
            String text = Files.readString(Path.of("..", "examples", example))
                    .replaceFirst("(?m)^id: .*$", "id: " + source.id())
                    .replace("conflict: last-writer-wins", "conflict: " + source.conflict())
                    .replace("http://localhost:5000", side.url())
                    .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_FAKER_TOKEN}", "${file:" + token + "}")
                    .replace("${env:TRIBUTARY_SECRET_ACME_RECORDS__MUSIC_OUTPUT_WEBHOOK_SECRET}", "${file:" + secret + "}")
                    .replace("schedule: {interval: 1m}", "schedule: {interval: 300ms}\n"
                            + "retry: {maxAttempts: 3, initialBackoff: 20ms, maxBackoff: 100ms}");
            if (!text.contains("conflict: " + source.conflict()) || !text.contains("interval: 300ms")) {
                throw new IllegalStateException("examples/" + example + " changed: the test could not adapt it");
            }
            Path definition = Files.writeString(dir.resolve(source.id() + ".yaml"), text);
            writerArgs.add("--tributary.writer.outbound.sources[" + i + "].definition=" + definition);
            pollerArgs.addAll(List.of("--tributary.poller.sources[" + i + "].id=" + source.id(),
                    "--tributary.poller.sources[" + i + "].kind=rest",
                    "--tributary.poller.sources[" + i + "].definition=" + definition));
        }
        startWriter();
        startPoller();
    }

    MusicFarSide side(String sourceId) {
        return sides.get(sourceId);
    }

    /** Starts the writer, on the port of the first one after a restart (the poller's reconciliation calls it). */
    void startWriter() {
        List<String> args = new ArrayList<>(writerArgs);
        if (writerPort != 0) {
            args.add("--server.port=" + writerPort);
        }
        writer = WriterApplication.builder().run(PipelineServices.lastWins(args));
        writerPort = PipelineServices.port(writer);
        // a test that counts calls must not meet a rebalance later (one redelivers what was not committed yet)
        for (String group : List.of("tributary-writer", "tributary-outbound")) {
            await("the writer alone in " + group).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group))
                                .describedGroups().get(group).get();
                        return described.groupState() == GroupState.STABLE && described.members().size() == 1
                                && !described.members().iterator().next().assignment().topicPartitions().isEmpty();
                    });
        }
    }

    void stopWriter() {
        running(writer, "writer").close();
        writer = null;
    }

    /** Starts the poller and returns once its capture follows the database. */
    void startPoller() {
        List<String> args = new ArrayList<>(pollerArgs);
        args.add("--tributary.poller.reconcile.writer-url=http://127.0.0.1:" + writerPort);
        poller = PollerApplication.builder().run(PipelineServices.lastWins(args));
        database.awaitCapturing();
    }

    void stopPoller() {
        running(poller, "poller").close();
        poller = null;
    }

    String pollerUrl() {
        return "http://127.0.0.1:" + PipelineServices.port(running(poller, "poller"));
    }

    /** Local changes the running poller's capture published. */
    double captured() {
        return meters(poller, "poller").find("tributary.poller.capture.captured").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** Passes over {@code source} the running poller completed (caught up). */
    long passes(String source) {
        Timer passes = meters(poller, "poller").find("tributary.poller.poll.duration")
                .tags("source", source, "entity", "music_items", "outcome", "caught-up").timer();
        return passes == null ? 0 : passes.count();
    }

    /** Events the running poller published for {@code source}. */
    double published(String source) {
        Counter published = meters(poller, "poller").find("tributary.poller.records.published")
                .tags("source", source, "entity", "music_items").counter();
        return published == null ? 0 : published.count();
    }

    /** The running writer's deliveries of {@code source} with {@code op} and {@code outcome}. */
    double delivered(String source, String op, String outcome) {
        return meters(writer, "writer").find("tributary.outbound.delivered")
                .tags("source", source, "op", op, "outcome", outcome).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Every delivery outcome of {@code source} so far, as {@code op/outcome}. */
    Map<String, Double> deliveries(String source) {
        return meters(writer, "writer").find("tributary.outbound.delivered").tag("source", source).counters().stream()
                .collect(Collectors.toMap(c -> c.getId().getTag("op") + "/" + c.getId().getTag("outcome"),
                        Counter::count, Double::sum, java.util.TreeMap::new));
    }

    /**
     * Waits until the poller completed two more passes over {@code source} (so one began after this call, and read
     * the source as it is now) and the writer has applied everything published so far: whatever comes back from
     * the source has come back.
     */
    void awaitPollsApplied(String source) {
        long from = passes(source);
        await("two more passes over " + source).atMost(Duration.ofSeconds(30)).until(() -> passes(source) >= from + 2);
        Map<TopicPartition, Long> end = endOffsets();
        await("the writer applied what the passes published").atMost(Duration.ofSeconds(30)).until(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("tributary-writer")
                    .partitionsToOffsetAndMetadata().get();
            return end.entrySet().stream().allMatch(partition -> partition.getValue() == 0
                    || committed.get(partition.getKey()) != null
                    && committed.get(partition.getKey()).offset() >= partition.getValue());
        });
    }

    @Override
    public void close() {
        try {
            PipelineServices.stop(null, poller, writer);
            sides.values().forEach(MusicFarSide::close);
            admin.close();
        } finally {
            database.close();
        }
    }

    private Map<TopicPartition, Long> endOffsets() {
        try {
            Set<TopicPartition> partitions = admin.describeTopics(List.of(CHANGES)).allTopicNames().get().get(CHANGES)
                    .partitions().stream().map(p -> new TopicPartition(CHANGES, p.partition())).collect(Collectors.toSet());
            Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            Map<TopicPartition, Long> end = new LinkedHashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
            return end;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Reading the end offsets of " + CHANGES, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static MeterRegistry meters(@Nullable ConfigurableApplicationContext service, String name) {
        return running(service, name).getBean(MeterRegistry.class);
    }

    private static ConfigurableApplicationContext running(@Nullable ConfigurableApplicationContext service, String name) {
        if (service == null) {
            throw new IllegalStateException("the " + name + " is stopped");
        }
        return service;
    }
}
