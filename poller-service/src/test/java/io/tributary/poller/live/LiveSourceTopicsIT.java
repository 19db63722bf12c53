package io.tributary.poller.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.tributary.poller.PollerApplication;
import io.tributary.poller.status.PollerStatus;
import io.tributary.poller.status.SourceActivity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A source stored on the config topic while the poller runs, on a broker that creates no topic by itself
 * ({@code auto.create.topics.enable=false}, as in docker-compose): its change topics are created, with the
 * configured partitions, before its first pass; a broker that refuses them leaves the source unpolled, the refusal
 * on its status and the creation retried until it succeeds (decision 0030). A two-way source on a poller without
 * capture is polled and marked on {@code GET /status} as not captured.
 */
@EmbeddedKafka(partitions = 1, brokerProperties = "auto.create.topics.enable=false")
class LiveSourceTopicsIT {

    private static final String CONFIG_TOPIC = "tributary.config.sources";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private HttpServer api;
    private final AtomicInteger requests = new AtomicInteger();
    private ConfigurableApplicationContext poller;

    @BeforeEach
    void fakeApi() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/items", exchange -> {
            requests.incrementAndGet();
            byte[] body = """
                    [{"id": "w-1", "name": "One", "updatedAt": "2026-11-22T08:00:00Z"},
                     {"id": "w-2", "name": "Two", "updatedAt": "2026-11-22T08:00:01Z"},
                     {"id": "w-3", "name": "Three", "updatedAt": "2026-11-22T08:00:02Z"}]
                    """.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        api.start();
    }

    @AfterEach
    void stop() {
        if (poller != null) {
            poller.close();
        }
        api.stop(0);
    }

    @Test
    void aLiveSourcesTopicsAreCreatedBeforeItsFirstPassAndARefusalIsRetried(EmbeddedKafkaBroker broker)
            throws Exception {
        try (Admin admin = admin(broker)) {
            createConfigTopic(admin);
            // Kafka refuses a topic whose name differs from an existing one only by '.' against '_'.
            admin.createTopics(List.of(new NewTopic("tributary_changes_widgets", 1, (short) 1))).all().get();
            startPoller(broker);
            store(broker, "shop/widget-api", definition("widget-api", "widgets", ""));

            await("the refusal on the source's status").atMost(Duration.ofSeconds(30)).until(() -> source("widget-api")
                    .map(source -> source.errors().stream().anyMatch(error -> error.entity().equals("widgets")
                            && error.message().contains("change topics not created")
                            && error.message().contains("tributary.changes.widgets")))
                    .orElse(false));
            assertThat(requests.get()).as("no pass before its topics exist").isZero();
            assertThat(source("widget-api").orElseThrow().entities().get("widgets").passes()).isZero();

            admin.deleteTopics(List.of("tributary_changes_widgets")).all().get();
            await("the topics created on a later attempt").atMost(Duration.ofSeconds(60))
                    .until(() -> admin.listTopics().names().get().containsAll(
                            List.of("tributary.changes.widgets", "tributary.changes.widgets.dlt")));
            Map<String, TopicDescription> topics = admin.describeTopics(
                    List.of("tributary.changes.widgets", "tributary.changes.widgets.dlt")).allTopicNames().get();
            assertThat(topics.values()).as("the configured partitions, not the broker's default of 1")
                    .allSatisfy(topic -> assertThat(topic.partitions()).hasSize(4));
            assertThat(records(broker, "tributary.changes.widgets", 3)).as("the first pass published every record")
                    .containsExactlyInAnyOrder("widget-api:w-1", "widget-api:w-2", "widget-api:w-3");
        }
    }

    @Test
    void aTwoWaySourceOnAPollerWithoutCaptureIsPolledAndMarkedNotCaptured(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = admin(broker)) {
            createConfigTopic(admin);
        }
        startPoller(broker);
        store(broker, "shop/gadget-api", definition("gadget-api", "gadgets", """
                , "delivery": {"create": {"path": "/items"}, "update": {"path": "/items/{id}"},
                               "delete": {"path": "/items/{id}"}}
                """));
        await("polled").atMost(Duration.ofSeconds(30)).until(() -> requests.get() > 0);
        HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + ((WebServerApplicationContext) poller).getWebServer().getPort() + "/status"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode gadgets = null;
        for (JsonNode source : JSON.readTree(status.body()).get("sources")) {
            if (source.get("id").asString().equals("gadget-api")) {
                gadgets = source;
            }
        }
        assertThat(gadgets).as(status.body()).isNotNull();
        assertThat(gadgets.get("capture").asString()).startsWith("not captured")
                .contains("tributary.poller.capture.enabled is false").contains("[gadgets]");
    }

    private void startPoller(EmbeddedKafkaBroker broker) {
        poller = PollerApplication.builder().run("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--tributary.poller.topics.partitions=4",
                "--tributary.poller.topics.create-retry=200ms",
                "--tributary.poller.config-topic.enabled=true",
                "--tributary.poller.config-topic.directory=" + dir.resolve("live"));
    }

    private Optional<PollerStatus.SourceStatus> source(String id) {
        return poller.getBean(SourceActivity.class).snapshot().sources().stream()
                .filter(source -> source.id().equals(id)).findFirst();
    }

    /** A definition listing {@code entity} from {@code /items} of the fake API; {@code extra}: more of the entity. */
    private String definition(String id, String entity, String extra) {
        boolean twoWay = !extra.isBlank();
        return """
                {"organization": "shop", "id": "%s", "kind": "rest", "baseUrl": "http://127.0.0.1:%d",
                 "schedule": {"interval": "500ms"}%s,
                 "entities": [{"name": "%s", "endpoint": {"path": "/items"}, "pagination": {"type": "none"},
                   "records": {"path": "$"},
                   "mapping": {"key": "externalId", "version": {"source": "updatedAt", "format": "iso-instant"},
                     "fields": {"externalId": {"type": "string", "source": "id", "required": true},
                                "name": {"type": "string", "source": "name"}}},
                   "target": {"table": "%s", "key": "externalId", "columns": [{"name": "name", "type": "text"}]}
                   %s}]}
                """.formatted(id, api.getAddress().getPort(),
                twoWay ? ", \"sync\": {\"mode\": \"two-way\", \"conflict\": \"local-wins\"}" : "", entity, entity, extra);
    }

    private static void store(EmbeddedKafkaBroker broker, String key, String definition) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(CONFIG_TOPIC, key,
                    "{\"definition\":" + definition + ",\"state\":{\"paused\":false}}")).get();
        }
    }

    /** The distinct keys on {@code topic} (every partition), once there are {@code count} of them. */
    private static java.util.Set<String> records(EmbeddedKafkaBroker broker, String topic, int count) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            java.util.Set<String> keys = new java.util.TreeSet<>();
            await("records on " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
                return keys.size() >= count;
            });
            return keys;
        }
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
    }

    private static void createConfigTopic(Admin admin) throws Exception {
        if (!admin.listTopics().names().get().contains(CONFIG_TOPIC)) {
            admin.createTopics(List.of(new NewTopic(CONFIG_TOPIC, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
    }
}
