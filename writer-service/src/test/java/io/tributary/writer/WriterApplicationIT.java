package io.tributary.writer;

import static io.tributary.writer.TestEvents.delete;
import static io.tributary.writer.TestEvents.fields;
import static io.tributary.writer.TestEvents.message;
import static io.tributary.writer.TestEvents.section;
import static io.tributary.writer.TestEvents.topic;
import static io.tributary.writer.TestEvents.upsert;
import static io.tributary.writer.TestEvents.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventJson;
import io.tributary.model.ChangeTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The real writer application against an embedded Kafka broker (KRaft) and a real SQLite file: a mixed
 * stream with children before parents, duplicates, a stale version, a delete, an unreadable record and a
 * record missing a required field.
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class WriterApplicationIT {

    private static final Duration BOUND = Duration.ofSeconds(45);

    @TempDir
    static Path dir;
    static ConfigurableApplicationContext app;
    static String brokers;
    static Path database;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) {
        brokers = broker.getBrokersAsString();
        database = dir.resolve("data/tributary.db");
        app = WriterApplication.builder().properties(
                "spring.kafka.bootstrap-servers=" + brokers,
                "server.port=0",
                "tributary.writer.database.path=" + database,
                "tributary.writer.consumer.max-poll-records=7",
                "tributary.writer.consumer.fetch-max-wait=50ms",
                "tributary.writer.progress.interval=1s").run();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void appliesAMixedStreamDeadLettersTheBadRecordsAndKeepsGoing() throws Exception {
        List<ProducerRecord<String, byte[]>> stream = new ArrayList<>();
        // Children before their parents, a reply before the message it answers.
        add(stream, message("m2", 20, "t1", "u1", "m1", "re: hello"));
        add(stream, message("m1", 10, "t1", "u1", null, "hello"));
        add(stream, message("m1", 10, "t1", "u1", null, "hello"));
        add(stream, topic("t1", 5, "s1", "u1", "Crypto"));
        add(stream, topic("t1", 4, "s1", "u1", "stale title"));
        add(stream, topic("t1", 5, "s1", "u1", "Crypto"));
        // Unreadable bytes, and an event without its required title.
        stream.add(new ProducerRecord<>(ChangeTopics.forEntity("topics"), "forum-sim:broken",
                "{not json".getBytes(StandardCharsets.UTF_8)));
        add(stream, upsert("sections", "s-bad", 3, fields("id", "s-bad", "created_at", "2026-11-21T10:15:30.123Z",
                "updated_at", "2026-11-21T10:15:30.123Z")));
        add(stream, section("s1", 2, "General"));
        add(stream, user("u1", 1, "ann"));
        add(stream, message("m3", 30, "t1", "u1", null, "to be deleted"));
        add(stream, delete("messages", "m3", 31));
        // After the bad records: the stream must keep moving.
        add(stream, user("u2", 40, "bob"));
        add(stream, message("m4", 41, "t1", "u2", "m2", "still flowing"));
        // A version that is a recent time (epoch ms, as the forum's updated_at): its freshness is measured.
        long changedAt = System.currentTimeMillis() - 2_000;
        add(stream, user("u3", changedAt, "cy"));

        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (ProducerRecord<String, byte[]> record : stream) {
                producer.send(record);
            }
            producer.flush();
        }

        await("rows applied").atMost(BOUND).untilAsserted(() -> {
            assertThat(rows("SELECT external_id FROM messages WHERE source_version > 0 ORDER BY external_id"))
                    .extracting(r -> r.get("external_id")).containsExactly("m1", "m2", "m3", "m4");
            assertThat(count("SELECT COUNT(*) FROM users WHERE source_version > 0")).isEqualTo(3);
        });

        long m1 = id("messages", "m1");
        long m2 = id("messages", "m2");
        long t1 = id("topics", "t1");
        assertThat(row("messages", "m2")).containsEntry("parent_id", m1).containsEntry("topic_id", t1)
                .containsEntry("body", "re: hello");
        assertThat(row("messages", "m4")).containsEntry("parent_id", m2).containsEntry("user_id", id("users", "u2"));
        assertThat(row("topics", "t1")).containsEntry("title", "Crypto").containsEntry("source_version", 5L)
                .containsEntry("section_id", id("sections", "s1"));
        assertThat(row("messages", "m3")).containsEntry("deleted", 1L);
        assertThat(count("SELECT COUNT(*) FROM sections WHERE external_id = 's-bad'")).isZero();
        assertThat(count("SELECT (SELECT COUNT(*) FROM users WHERE source_version = 0)"
                + " + (SELECT COUNT(*) FROM sections WHERE source_version = 0)"
                + " + (SELECT COUNT(*) FROM topics WHERE source_version = 0)"
                + " + (SELECT COUNT(*) FROM messages WHERE source_version = 0)")).as("placeholders waiting").isZero();

        List<ConsumerRecord<String, byte[]>> deadLetters = readDeadLetters(2);
        Map<String, String> reasons = deadLetters.stream().collect(Collectors.toMap(ConsumerRecord::key,
                r -> header(r, "kafka_dlt-exception-message")));
        assertThat(reasons.get("forum-sim:broken")).startsWith("Change event is not valid JSON");
        assertThat(reasons.get("forum-sim:s-bad"))
                .isEqualTo("Invalid UPSERT of sections forum-sim:s-bad v3: payload field 'title' is missing");
        assertThat(deadLetters).extracting(r -> header(r, "kafka_dlt-exception-fqcn")).containsExactlyInAnyOrder(
                "io.tributary.model.MalformedChangeEventException",
                "io.tributary.writer.entity.InvalidChangeEventException");
        assertThat(deadLetters).extracting(ConsumerRecord::topic).containsExactlyInAnyOrder(
                "tributary.changes.topics.dlt", "tributary.changes.sections.dlt");
        assertThat(deadLetters).filteredOn(r -> r.key().equals("forum-sim:broken"))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("{not json");

        await("offsets committed").atMost(BOUND).untilAsserted(() ->
                assertThat(committedOffsets()).isEqualTo(endOffsets()));

        MeterRegistry meters = app.getBean(MeterRegistry.class);
        assertThat(meters.get("tributary.writer.dead.lettered").tag("entity", "topics").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("tributary.writer.dead.lettered").tag("entity", "sections").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("tributary.writer.applied").tag("entity", "topics").tag("outcome", "applied")
                .counter().count()).isEqualTo(1.0);
        assertMetricsAndStatus(changedAt);
    }

    /** Scrapes /actuator/prometheus: every writer series with its labels and values that fit the stream above. */
    private static void assertMetricsAndStatus(long changedAt) throws Exception {
        await("lag gauges at 0").atMost(BOUND).untilAsserted(() -> {
            String prometheus = http("/actuator/prometheus");
            for (String entity : List.of("users", "sections", "topics", "messages")) {
                assertThat(sample(prometheus, "tributary_writer_consumer_lag", "topic", ChangeTopics.forEntity(entity)))
                        .as("lag of " + entity).isEqualTo(0.0);
            }
        });
        String prometheus = http("/actuator/prometheus");
        assertThat(sample(prometheus, "tributary_writer_applied_total", "entity", "users", "op", "upsert",
                "outcome", "applied")).isEqualTo(3.0);
        assertThat(sample(prometheus, "tributary_writer_applied_total", "entity", "messages", "op", "delete",
                "outcome", "applied")).isEqualTo(1.0);
        assertThat(sample(prometheus, "tributary_writer_dead_lettered_total", "entity", "sections")).isEqualTo(1.0);
        assertThat(sample(prometheus, "tributary_writer_dead_lettered_total", "entity", "users"))
                .as("registered at 0, so that increase() sees the first one").isEqualTo(0.0);
        double batches = sample(prometheus, "tributary_writer_batch_size_events_count");
        assertThat(batches).isPositive();
        assertThat(sample(prometheus, "tributary_writer_batch_size_events_sum")).as("events in committed batches")
                .isBetween(batches, 2.0 * 16);
        assertThat(sample(prometheus, "tributary_writer_batch_size_events_max")).isBetween(1.0, 7.0);
        assertThat(sample(prometheus, "tributary_writer_batch_duration_seconds_count")).isPositive();
        // Freshness: only u3's version is a time; it changed 2 s before it was produced.
        double elapsed = (System.currentTimeMillis() - changedAt) / 1000.0;
        assertThat(sample(prometheus, "tributary_writer_freshness_seconds_count", "entity", "users")).isEqualTo(1.0);
        assertThat(sample(prometheus, "tributary_writer_freshness_seconds_sum", "entity", "users"))
                .isBetween(2.0, elapsed);
        assertThat(sample(prometheus, "tributary_writer_freshness_seconds_bucket", "entity", "users", "le", "1.0"))
                .isEqualTo(0.0);
        assertThat(sample(prometheus, "tributary_writer_freshness_seconds_bucket", "entity", "users", "le", "+Inf"))
                .isEqualTo(1.0);
        assertThat(sample(prometheus, "tributary_writer_freshness_seconds_count", "entity", "messages"))
                .as("message versions here are no timestamps").isEqualTo(0.0);
        // spring-kafka's observation of every record of the batches, per topic.
        assertThat(sample(prometheus, "spring_kafka_listener_seconds_count", "messaging_source_name",
                "tributary.changes.users", "spring_kafka_listener_id", "writerListenerContainer-0", "error", "none"))
                .isGreaterThanOrEqualTo(3.0);

        assertThat(http("/actuator/health")).contains("\"status\":\"UP\"");
        assertThat(http("/actuator/health/readiness")).contains("\"db\":{\"status\":\"UP\"}",
                "\"kafka\":{\"status\":\"UP\"}", "\"readinessState\":{\"status\":\"UP\"}");
        assertThat(http("/status"))
                .contains("\"messages\":{\"live\":3,\"placeholders\":0,\"deleted\":1,\"freshnessP99Seconds\":null}")
                .containsPattern("\"users\":\\{\"live\":3,\"placeholders\":0,\"deleted\":0,\"freshnessP99Seconds\":[0-9.]+}")
                .contains("\"lag\":0,", "\"tributary.changes.users\":0")
                .contains("\"deadLettered\":2");
        assertThat(http("/")).contains("<title>Tributary writer status</title>");
        // per source (the admin API's source status): the event without its title; the unreadable bytes too (key kept)
        JsonNode sources = JsonMapper.builder().build().readTree(http("/status/sources"));
        assertThat(sources.at("/sources/0/id").asString()).isEqualTo("forum-sim");
        assertThat(sources.at("/sources/0/organization").isNull()).as("no live definition").isTrue();
        assertThat(sources.at("/sources/0/entities/sections/deadLettered").asLong()).isEqualTo(1);
        assertThat(sources.at("/sources/0/entities/topics/deadLettered").asLong()).isEqualTo(1);
        assertThat(sources.at("/sources/0/entities/sections/lastAt").asString()).isNotBlank();
        assertThat(sources.get("refused")).as("no config topic followed: listed, empty").isNotNull().isEmpty();
    }

    /** The value of the one sample of {@code name} with (at least) these labels; fails if there is none. */
    static double sample(String prometheus, String name, String... labels) {
        List<Double> values = prometheus.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> {
                    for (int i = 0; i < labels.length; i += 2) {
                        if (!line.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                            return false;
                        }
                    }
                    return true;
                })
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .toList();
        assertThat(values).as(name + " " + List.of(labels)).hasSize(1);
        return values.get(0);
    }

    private static void add(List<ProducerRecord<String, byte[]>> stream, ChangeEvent event) {
        stream.add(new ProducerRecord<>(event.topic(), event.key().encode(), ChangeEventJson.write(event)));
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static List<ConsumerRecord<String, byte[]>> readDeadLetters(int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("tributary.changes.users.dlt", "tributary.changes.sections.dlt",
                    "tributary.changes.topics.dlt", "tributary.changes.messages.dlt"));
            await("dead letters").atMost(BOUND).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        assertThat(records).hasSize(expected);
        return records;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Map<TopicPartition, Long> committedOffsets() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("tributary-writer")
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> offsets = new HashMap<>();
            committed.forEach((tp, om) -> offsets.put(tp, om.offset()));
            offsets.values().removeIf(offset -> offset == 0);
            return offsets;
        }
    }

    /** End offsets of the change topics' non-empty partitions. */
    private static Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String entity : List.of("users", "sections", "topics", "messages")) {
                for (int p = 0; p < 3; p++) {
                    request.put(new TopicPartition(ChangeTopics.forEntity(entity), p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> offsets.put(tp, info.offset()));
            offsets.values().removeIf(offset -> offset == 0);
            return offsets;
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers));
    }

    private static String http(String path) throws Exception {
        String port = app.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static long id(String table, String externalId) throws SQLException {
        return (Long) row(table, externalId).get("id");
    }

    private static Map<String, Object> row(String table, String externalId) throws SQLException {
        List<Map<String, Object>> rows = rows("SELECT * FROM " + table + " WHERE external_id = '" + externalId + "'");
        assertThat(rows).as(table + " " + externalId).hasSize(1);
        return rows.get(0);
    }

    private static long count(String sql) throws SQLException {
        return (Long) rows(sql).get(0).values().iterator().next();
    }

    private static List<Map<String, Object>> rows(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    row.put(rs.getMetaData().getColumnName(i), value instanceof Integer n ? Long.valueOf(n) : value);
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
