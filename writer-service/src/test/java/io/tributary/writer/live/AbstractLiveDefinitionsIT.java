package io.tributary.writer.live;

import static io.tributary.writer.live.LiveDefinitionsYaml.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventSerializer;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.writer.WriterApplication;
import io.tributary.writer.consume.ChangeSubscription;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The writer learns its entities from the config topic while it runs (decision 0029), on a real broker and a real
 * main database (per dialect): a definition written as the admin service writes it creates the table, and the
 * entity's events are applied without a restart; a second definition adds columns (one of them json) and an entity,
 * which restarts the consumer over the new topic list while events stream, and nothing applied is lost or doubled;
 * a conflicting definition is refused with a log line naming source, entity, column and both types while the
 * running entity goes on; another organization's definition naming the entity is refused whole (decision 0031);
 * events of an entity no definition names are never read; a restarted writer rebuilds its
 * catalog from the topic before it consumes. Every row is compared with the events sent.
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
@ExtendWith(OutputCaptureExtension.class)
abstract class AbstractLiveDefinitionsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Instant OBSERVED = Instant.parse("2026-12-06T10:00:00Z");

    /** What each item should look like: external id → (version, year or null). */
    private final Map<String, long[]> expected = new TreeMap<>();

    /** Writer arguments selecting a fresh main database of the dialect (the same one on every call of a test). */
    protected abstract List<String> databaseArgs();

    /** A connection to that database, for the test's own reads. */
    protected abstract Connection connect() throws SQLException;

    @Test
    void definitionsOnTheConfigTopicShapeTheTablesWhileTheWriterRuns(EmbeddedKafkaBroker broker, CapturedOutput output)
            throws Exception {
        String bootstrap = broker.getBrokersAsString();
        try (ConfigTopic config = new ConfigTopic(bootstrap); KafkaProducer<String, ChangeEvent> events = producer(bootstrap)) {
            ConfigurableApplicationContext writer = startWriter(bootstrap);
            try {
                // 1. A definition creates the entity: its table, then its topic; its events apply without a restart.
                config.put("shop", yaml("shop", "items: name:text:required"), false);
                await("the definition's table is created").atMost(PATIENCE).until(() -> columns("items").contains("name"));
                await("the writer subscribes to the new entity's topic").atMost(PATIENCE)
                        .until(() -> writer.getBean(ChangeSubscription.class).topics().contains("tributary.changes.items"));
                for (int i = 0; i < 30; i++) {
                    send(events, item(i, 100, null));
                }
                send(events, ChangeEvent.of("shop", "ghosts", "g-1", Operation.UPSERT, 1, OBSERVED, Origin.POLL,
                        Map.of("name", "no definition names this entity")));
                await("the new entity's events are applied").atMost(PATIENCE).until(() -> liveItems() == 30);

                // 2. Another definition adds columns (json too) and an entity: the consumer restarts mid-stream.
                for (int i = 30; i < 130; i++) {
                    send(events, item(i, 100, null));
                }
                config.put("market", yaml("market", "items: name:text:required, year:integer, tags:json",
                        "labels: name:text:required"), false);
                await("the new columns and table exist").atMost(PATIENCE)
                        .until(() -> columns("items").containsAll(List.of("year", "tags")) && !columns("labels").isEmpty());
                await("the consumer follows the new topic list").atMost(PATIENCE)
                        .until(() -> writer.getBean(ChangeSubscription.class).topics().contains("tributary.changes.labels"));
                for (int i = 130; i < 230; i++) {
                    send(events, item(i, 200, 1950L + i % 70));
                }
                for (int i = 0; i < 20; i++) {
                    send(events, item(i, 300, 1960L)); // updates of rows applied before the restart
                }
                for (int i = 0; i < 5; i++) {
                    send(events, ChangeEvent.of("market", "labels", "l-" + i, Operation.UPSERT, 10, OBSERVED,
                            Origin.POLL, Map.of("name", "Label " + i)));
                }
                await("every item event is applied, across the consumer restart").atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(items()).isEqualTo(expectedItems()));
                await("the new entity's events are applied").atMost(PATIENCE).until(() -> count("labels") == 5);
                assertThat(JSON.readTree(text("items", "i-130", "tags"))).isEqualTo(JSON.readTree("[\"tag-130\",{\"n\":130}]"));

                // 3. A definition whose column type conflicts is refused; the running entity goes on.
                config.put("conflict", yaml("conflict", "items: name:text:required, year:text"), false);
                await("the conflict is logged naming source, entity, column and both types").atMost(PATIENCE)
                        .until(() -> output.getOut().contains("Definition acme/conflict (source 'conflict'): entity"
                                + " 'items': column 'year' is integer in the writer's catalog but text in this definition"));
                for (int i = 230; i < 240; i++) {
                    send(events, item(i, 200, 2000L));
                }
                await("the running entity goes on").atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(items()).isEqualTo(expectedItems()));
                assertThat(columnType("items", "year")).as("the column keeps its type").contains("int");
                // and it is listed for the admin API's source status (issue 5), with the reason and since when
                JsonNode refused = JSON.readTree(http(writer, "/status/sources")).get("refused");
                assertThat(refused).singleElement().satisfies(refusal -> {
                    assertThat(refusal.get("key").asString()).isEqualTo("acme/conflict");
                    assertThat(refusal.get("organization").asString()).isEqualTo("acme");
                    assertThat(refusal.get("sourceId").asString()).isEqualTo("conflict");
                    assertThat(refusal.get("entity").asString()).isEqualTo("items");
                    assertThat(refusal.get("reason").asString())
                            .startsWith("column 'year' is integer in the writer's catalog but text in this definition");
                    assertThat(refusal.get("since").asString()).isNotBlank();
                });

                // 3b. Another organization's definition naming the entity (a topic written by other means: the admin
                // API refuses it) is refused whole: nothing of it reaches acme's table (decision 0031).
                config.put("other", "intruder", yaml("intruder", "items: name:text:required, note:text", "notes: body:text")
                        .replace("organization: acme", "organization: other"), false);
                await("the intruder is refused, naming the entity and its holder").atMost(PATIENCE)
                        .until(() -> output.getOut().contains("Definition other/intruder: refused, entity 'items' is "
                                + "already held by acme/"));
                assertThat(columns("items")).doesNotContain("note");
                assertThat(columns("notes")).as("not even its other entities").isEmpty();
                assertThat(writer.getBean(MeterRegistry.class).get("tributary.writer.live.refused").gauge().value())
                        .isEqualTo(1.0);

                // 3c. A version refused after the one taken, then the version taken published again: it is taken
                // unchanged, and the refusal in between no longer stands.
                String market = yaml("market", "items: name:text:required, year:integer, tags:json",
                        "labels: name:text:required");
                config.put("market", market.replace("kind: rest", "kind: nope"), false);
                await("the invalid version is refused").atMost(PATIENCE)
                        .until(() -> refusedKeys(writer).contains("acme/market"));
                config.put("market", market, false);
                await("the version taken is taken again: no refusal of it stands").atMost(PATIENCE)
                        .until(() -> !refusedKeys(writer).contains("acme/market"));
                assertThat(refusedKeys(writer)).containsExactly("acme/conflict", "other/intruder");
                assertThat(writer.getBean(MeterRegistry.class).get("tributary.writer.live.refused").gauge().value())
                        .isEqualTo(1.0);
                assertThat(deadLettered(writer)).as("nothing dead-lettered: the ghost entity's topic is not read")
                        .isZero();
            } finally {
                writer.close();
            }

            // 4. While the writer is down: more events and duplicates; a restarted writer rebuilds its catalog first.
            for (int i = 240; i < 250; i++) {
                send(events, item(i, 200, 2001L));
            }
            for (int i = 100; i < 120; i++) {
                send(events, item(i, 100, null)); // duplicates of what is stored (same version): change nothing
            }
            ConfigurableApplicationContext restarted = startWriter(bootstrap);
            try {
                await("a restarted writer applies what arrived while it was down").atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(items()).isEqualTo(expectedItems()));
                assertThat(restarted.getBean(ChangeSubscription.class).topics())
                        .contains("tributary.changes.items", "tributary.changes.labels")
                        .doesNotContain("tributary.changes.ghosts");
                assertThat(deadLettered(restarted)).isZero();
            } finally {
                restarted.close();
            }
        }
    }

    private ConfigurableApplicationContext startWriter(String bootstrap) {
        List<String> args = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + bootstrap, "--server.port=0",
                "--tributary.writer.consumer.fetch-max-wait=50ms", "--tributary.writer.config-topic.enabled=true",
                "--tributary.writer.config-topic.retry=200ms"));
        args.addAll(databaseArgs());
        return WriterApplication.builder().run(args.toArray(String[]::new));
    }

    private ChangeEvent item(int i, long version, Long year) {
        String id = "i-" + i;
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", id);
        payload.put("name", "Item " + i + " v" + version);
        if (year != null) {
            payload.put("year", year);
            payload.put("tags", List.of("tag-" + i, Map.of("n", i)));
        }
        long[] previous = expected.get(id);
        if (previous == null || previous[0] < version) { // an upsert writes every column: no year is NULL
            expected.put(id, new long[] {version, year == null ? -1 : year});
        }
        return ChangeEvent.of("shop", "items", id, Operation.UPSERT, version, OBSERVED, Origin.POLL, payload);
    }

    /** External id → "v<version> <year or null>" of the items sent. */
    private Map<String, String> expectedItems() {
        Map<String, String> rows = new TreeMap<>();
        expected.forEach((id, state) -> rows.put(id, "v" + state[0] + " " + (state[1] < 0 ? "null" : state[1])));
        return rows;
    }

    private Map<String, String> items() throws SQLException {
        boolean hasYear = columns("items").contains("year");
        Map<String, String> rows = new TreeMap<>();
        try (Connection db = connect(); Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT external_id, source_version" + (hasYear ? ", year" : "")
                     + " FROM items WHERE deleted = 0")) {
            while (rs.next()) {
                Object year = hasYear ? rs.getObject(3) : null;
                rows.put(rs.getString(1), "v" + rs.getLong(2) + " " + (year == null ? "null" : ((Number) year).longValue()));
            }
        }
        return rows;
    }

    private long liveItems() throws SQLException {
        return count("items");
    }

    private long count(String table) throws SQLException {
        try (Connection db = connect(); Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE deleted = 0")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // not created yet
        }
    }

    private String text(String table, String externalId, String column) throws SQLException {
        try (Connection db = connect(); Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT CAST(" + column + " AS TEXT) FROM " + table
                     + " WHERE external_id = '" + externalId + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<String> columns(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection db = connect(); ResultSet rs = db.getMetaData().getColumns(null, null, table, null)) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return columns;
    }

    private String columnType(String table, String column) throws SQLException {
        try (Connection db = connect(); ResultSet rs = db.getMetaData().getColumns(null, null, table, column)) {
            return rs.next() ? rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT) : "absent";
        }
    }

    private static String http(ConfigurableApplicationContext writer, String path) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + writer.getEnvironment().getProperty("local.server.port") + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** The keys listed on {@code GET /status/sources} as refused (whole or in part), in order. */
    private static List<String> refusedKeys(ConfigurableApplicationContext writer) throws Exception {
        List<String> keys = new ArrayList<>();
        JSON.readTree(http(writer, "/status/sources")).get("refused").forEach(refusal -> keys.add(refusal.get("key")
                .asString()));
        return keys;
    }

    private static double deadLettered(ConfigurableApplicationContext writer) {
        return writer.getBean(MeterRegistry.class).find("tributary.writer.dead.lettered").counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }

    private static KafkaProducer<String, ChangeEvent> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ChangeEventSerializer());
    }

    private static void send(KafkaProducer<String, ChangeEvent> producer, ChangeEvent event) throws Exception {
        producer.send(new ProducerRecord<>(event.topic(), event.key().encode(), event)).get(30, TimeUnit.SECONDS);
    }
}
