package io.tributary.ingest.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.tributary.ingest.WebhookIngestApplication;
import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeEventJson;
import io.tributary.model.Operation;
import io.tributary.model.Origin;
import io.tributary.model.RefreshRequest;
import io.tributary.model.RefreshRequestDeserializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The receiver over real HTTP with a real broker. Signatures are made by independent signers: the
 * Standard Webhooks reference library's own {@code sign}, and plain {@code javax.crypto} for GitHub and
 * Stripe, never by the code under test.
 */
@EmbeddedKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookIngestIT {

    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "forum-sim-secret-key-0123456789ab".getBytes(StandardCharsets.UTF_8));
    private static final String ROTATED = "whsec_" + Base64.getEncoder().encodeToString(
            "forum-sim-rotated-key-9876543210".getBytes(StandardCharsets.UTF_8));
    private static final String GITHUB_SECRET = "gh-secret-do-not-echo";
    private static final String STRIPE_SECRET = "whsec_stripe_secret_do_not_echo";
    private static final String MESSAGES = "tributary.changes.messages";
    private static final String USER = """
            {"type":"user.updated","timestamp":"2026-11-21T10:15:31.000Z","data":{"id":"u-%s","name":"Zoë 👋",
             "email":"z@example.org","created_at":"2026-11-21T10:15:30.000Z","updated_at":"2026-11-21T10:15:31.000Z"}}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private String brokers;
    private ConfigurableApplicationContext ingest;
    private String base;

    @BeforeAll
    void start(EmbeddedKafkaBroker broker) {
        brokers = broker.getBrokersAsString();
        ingest = WebhookIngestApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--tributary.ingest.max-body-size=4KB",
                "--tributary.ingest.sources[0].id=forum-sim",
                "--tributary.ingest.sources[0].secrets[0]=" + SECRET,
                "--tributary.ingest.sources[0].secrets[1]=" + ROTATED,
                "--tributary.ingest.sources[1].id=gh",
                "--tributary.ingest.sources[1].scheme=github",
                "--tributary.ingest.sources[1].secrets[0]=" + GITHUB_SECRET,
                "--tributary.ingest.sources[2].id=stripe",
                "--tributary.ingest.sources[2].scheme=stripe",
                "--tributary.ingest.sources[2].secrets[0]=" + STRIPE_SECRET,
                "--tributary.ingest.sources[2].tolerance=1m");
        base = "http://127.0.0.1:" + ((WebServerApplicationContext) ingest).getWebServer().getPort() + "/webhooks/";
    }

    @AfterAll
    void stop() {
        if (ingest != null) {
            ingest.close();
        }
    }

    @Test
    void aFullEventIsOnItsTopicWhenThe2xxArrivesAndARedeliveryIsNotRepublished() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        String body = """
                {"type":"message.created","timestamp":"2026-11-21T10:15:30.123Z","data":{"id":"m-1","topic_id":"t-1",
                 "user_id":"u-1","parent_id":null,"body":"héllo \\"there\\"\\nשלום","created_at":"2026-11-21T10:15:30.123Z",
                 "updated_at":"2026-11-21T10:15:30.123Z"}}""";
        long before = endOffset(MESSAGES);

        HttpResponse<String> response = post("forum-sim", body, standardHeaders(SECRET, id, Instant.now(), body));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"accepted\"");
        // checked right after the answer, without waiting: it was acknowledged before the 2xx
        assertThat(endOffset(MESSAGES)).isEqualTo(before + 1);
        ChangeEvent event = ChangeEventJson.read(lastRecord(MESSAGES).value());
        assertThat(lastRecord(MESSAGES).key()).isEqualTo("forum-sim:m-1");
        assertThat(event.origin()).isEqualTo(Origin.WEBHOOK);
        assertThat(event.op()).isEqualTo(Operation.UPSERT);
        assertThat(event.sourceVersion()).isEqualTo(Instant.parse("2026-11-21T10:15:30.123Z").toEpochMilli());
        assertThat(event.payload()).containsEntry("body", "héllo \"there\"\nשלום").containsEntry("parent_id", null)
                .containsEntry("topic_id", "t-1").doesNotContainKey("id");
        // the same id the poller gives this version of this record
        assertThat(event.eventId()).isEqualTo(ChangeEvent.deterministicId("forum-sim", "messages", "m-1",
                Operation.UPSERT, event.sourceVersion()));

        HttpResponse<String> again = post("forum-sim", body, standardHeaders(SECRET, id, Instant.now(), body));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"status\":\"duplicate\"");
        assertThat(endOffset(MESSAGES)).isEqualTo(before + 1);
    }

    @Test
    void theSecondSecretIsAcceptedDuringARotation() throws Exception {
        String body = USER.formatted("rotated");
        HttpResponse<String> response = post("forum-sim", body, standardHeaders(ROTATED, "msg_r", Instant.now(), body));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(ChangeEventJson.read(lastRecord("tributary.changes.users").value()).externalId()).isEqualTo("u-rotated");
    }

    @Test
    void aThinEventBecomesARefreshRequestAndADeletedEventADelete() throws Exception {
        String thin = """
                {"type":"topic.updated","timestamp":"2026-11-21T10:15:31.000Z","data":{"id":"t-thin"}}""";
        assertThat(post("forum-sim", thin, standardHeaders(SECRET, "msg_thin", Instant.now(), thin)).statusCode())
                .isEqualTo(200);
        ConsumerRecord<String, byte[]> refresh = lastRecord(RefreshRequest.TOPIC);
        assertThat(refresh.key()).isEqualTo("forum-sim:t-thin");
        RefreshRequest request = new RefreshRequestDeserializer().deserialize(RefreshRequest.TOPIC, refresh.value());
        assertThat(request.entity()).isEqualTo("topics");
        assertThat(request.origin()).isEqualTo(Origin.WEBHOOK);

        String deleted = """
                {"type":"message.deleted","timestamp":"2026-11-21T11:00:00.500Z","data":{"id":"m-gone"}}""";
        assertThat(post("forum-sim", deleted, standardHeaders(SECRET, "msg_del", Instant.now(), deleted)).statusCode())
                .isEqualTo(200);
        ConsumerRecord<String, byte[]> record = lastRecord(MESSAGES);
        ChangeEvent delete = ChangeEventJson.read(record.value());
        assertThat(record.key()).isEqualTo("forum-sim:m-gone");
        assertThat(delete.op()).isEqualTo(Operation.DELETE);
        assertThat(delete.sourceVersion()).isEqualTo(Instant.parse("2026-11-21T11:00:00.500Z").toEpochMilli());
        assertThat(delete.payload()).isEmpty();
    }

    @Test
    void everyRefusalIsAProblemThatNamesItAndEchoesNoSecret() throws Exception {
        String body = USER.formatted("x");
        Instant now = Instant.now();
        Map<String, String> good = standardHeaders(SECRET, "msg_e", now, body);
        String wrongSecret = "whsec_" + Base64.getEncoder().encodeToString("another-key-entirely-000000000000".getBytes());

        assertProblem(post("nowhere", body, good), 404, "unknown-source");
        assertProblem(post("forum-sim", body, Map.of()), 401, "signature-missing");
        assertProblem(post("forum-sim", body, standardHeaders(wrongSecret, "msg_e", now, body)), 401, "signature-invalid");
        assertProblem(post("forum-sim", body + " ", good), 401, "signature-invalid");
        assertProblem(post("forum-sim", body, standardHeaders(SECRET, "msg_e", now.minus(Duration.ofMinutes(6)), body)),
                401, "timestamp-out-of-tolerance");
        assertProblem(post("forum-sim", body, standardHeaders(SECRET, "msg_e", now.plus(Duration.ofMinutes(6)), body)),
                401, "timestamp-out-of-tolerance");
        for (String[] bad : new String[][] {
                {"{\"type\": \"user.updated\", ", "malformed-json"},
                {"[1, 2]", "malformed-event"},
                {"{\"type\":\"user.renamed\",\"timestamp\":\"2026-11-21T10:15:31Z\",\"data\":{\"id\":\"u\"}}", "unknown-event-type"},
                {"{\"type\":\"badge.created\",\"timestamp\":\"2026-11-21T10:15:31Z\",\"data\":{\"id\":\"u\"}}", "unknown-event-type"},
                {"{\"type\":\"user.updated\",\"timestamp\":\"2026-11-21T10:15:31Z\",\"data\":{\"id\":\"u\",\"name\":\"n\"}}", "unmappable-record"},
                {"{\"type\":\"user.deleted\",\"timestamp\":\"yesterday\",\"data\":{\"id\":\"u\"}}", "malformed-event"}}) {
            assertProblem(post("forum-sim", bad[0], standardHeaders(SECRET, "msg_" + bad[1], now, bad[0])), 400, bad[1]);
        }
        String large = USER.formatted("y".repeat(5000));
        assertProblem(post("forum-sim", large, standardHeaders(SECRET, "msg_big", now, large)), 413, "body-too-large");
    }

    /**
     * Decision 0031: a verified record that cannot be mapped is kept as the poller keeps its own: the raw body on the
     * entity's dead-letter topic with the field and the reason in headers, acknowledged before the sender gets 400
     * naming them; the sender's retry of that delivery is answered the same without a second dead letter.
     */
    @Test
    void aVerifiedRecordThatCannotBeMappedIsDeadLetteredBeforeThe400() throws Exception {
        String dlt = MESSAGES + ".dlt";
        long letters = endOffset(dlt);
        long changes = endOffset(MESSAGES);
        String noVersion = """
                {"type":"message.updated","timestamp":"2026-11-21T10:15:30.123Z","data":{"id":"m-unmappable","topic_id":"t-1",
                 "user_id":"u-1","parent_id":null,"body":"b","created_at":"2026-11-21T10:15:30.123Z"}}""";
        Map<String, String> headers = standardHeaders(SECRET, "msg_unmappable", Instant.now(), noVersion);

        HttpResponse<String> refused = post("forum-sim", noVersion, headers);
        assertProblem(refused, 400, "unmappable-record");
        assertThat(refused.body()).contains("updated_at").contains(dlt);
        // checked right after the answer, without waiting: the dead letter was acknowledged before the 400
        assertThat(endOffset(dlt)).isEqualTo(letters + 1);
        assertThat(endOffset(MESSAGES)).isEqualTo(changes);
        ConsumerRecord<String, byte[]> letter = lastRecord(dlt);
        assertThat(letter.key()).isEqualTo("forum-sim");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(noVersion);
        assertThat(header(letter, WebhookDeadLetters.FIELD_PATH)).isEqualTo("$");
        assertThat(header(letter, WebhookDeadLetters.REASON)).contains("'updated_at' is missing");
        assertThat(header(letter, WebhookDeadLetters.SOURCE)).isEqualTo("forum-sim");
        assertThat(header(letter, WebhookDeadLetters.ORIGIN)).isEqualTo("WEBHOOK");
        assertThat(header(letter, WebhookDeadLetters.DELIVERY_ID)).isEqualTo("msg_unmappable");
        assertThat(header(letter, "kafka_dlt-original-topic")).isEqualTo(MESSAGES);
        assertThat(header(letter, "kafka_dlt-exception-message")).startsWith("field '$': 'updated_at' is missing");
        assertThat(header(letter, "kafka_dlt-exception-fqcn")).isEqualTo("io.tributary.mapping.RecordRejectedException");

        // the sender retries the same delivery: the same answer, no second dead letter
        assertProblem(post("forum-sim", noVersion, standardHeaders(SECRET, "msg_unmappable", Instant.now(), noVersion)),
                400, "unmappable-record");
        assertThat(endOffset(dlt)).isEqualTo(letters + 1);

        String noKey = """
                {"type":"message.created","timestamp":"2026-11-21T10:15:30.123Z","data":{"body":"b",
                 "updated_at":"2026-11-21T10:15:30.123Z"}}""";
        assertProblem(post("forum-sim", noKey, standardHeaders(SECRET, "msg_no_key", Instant.now(), noKey)), 400,
                "unmappable-record");
        assertThat(endOffset(dlt)).isEqualTo(letters + 2);
        assertThat(header(lastRecord(dlt), WebhookDeadLetters.FIELD_PATH)).isEqualTo("id");
        assertThat(ingest.getBean(io.micrometer.core.instrument.MeterRegistry.class).get("tributary.ingest.dead.lettered")
                .tags("source", "forum-sim", "entity", "messages").counter().count()).isEqualTo(2.0);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void githubAndStripeSchemesVerifyTheirOwnSignatures() throws Exception {
        String body = USER.formatted("gh");
        String delivery = UUID.randomUUID().toString();
        Map<String, String> github = Map.of("X-Hub-Signature-256",
                "sha256=" + HexFormat.of().formatHex(hmac(GITHUB_SECRET, body)), "X-GitHub-Delivery", delivery);
        assertThat(post("gh", body, github).statusCode()).isEqualTo(200);
        assertThat(post("gh", body, github).body()).contains("duplicate");
        assertThat(ChangeEventJson.read(lastRecord("tributary.changes.users").value()).sourceId()).isEqualTo("gh");
        assertProblem(post("gh", body, Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64))), 401,
                "signature-invalid");

        String stripeBody = """
                {"id":"evt_1","type":"section.created","timestamp":"2026-11-21T10:15:31.000Z","data":{"id":"s-1",
                 "title":"News","created_at":"2026-11-21T10:15:31.000Z","updated_at":"2026-11-21T10:15:31.000Z"}}""";
        long t = Instant.now().getEpochSecond();
        String stripeSignature = "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(STRIPE_SECRET, t + "." + stripeBody));
        assertThat(post("stripe", stripeBody, Map.of("Stripe-Signature", stripeSignature)).statusCode()).isEqualTo(200);
        assertThat(post("stripe", stripeBody, Map.of("Stripe-Signature", stripeSignature)).body()).contains("duplicate");
        long old = t - 120;
        String stale = "t=" + old + ",v1=" + HexFormat.of().formatHex(hmac(STRIPE_SECRET, old + "." + stripeBody));
        assertProblem(post("stripe", stripeBody, Map.of("Stripe-Signature", stale)), 401, "timestamp-out-of-tolerance");
    }

    @Test
    void withoutKafkaTheAnswerIs503WithRetryAfterAndNothingIsMarkedAsSeen() throws Exception {
        try (ConfigurableApplicationContext orphan = WebhookIngestApplication.builder().run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=127.0.0.1:1",
                "--spring.kafka.admin.auto-create=false",
                "--tributary.ingest.delivery-timeout=1s",
                "--tributary.ingest.sources[0].id=forum-sim",
                "--tributary.ingest.sources[0].secrets[0]=" + SECRET)) {
            String url = "http://127.0.0.1:" + ((WebServerApplicationContext) orphan).getWebServer().getPort() + "/webhooks/";
            String body = USER.formatted("down");
            Map<String, String> headers = standardHeaders(SECRET, "msg_down", Instant.now(), body);
            for (int attempt = 0; attempt < 2; attempt++) {
                HttpResponse<String> response = send(url + "forum-sim", body, headers);
                assertProblem(response, 503, "kafka-unavailable");
                assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            }
        }
    }

    private void assertProblem(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body())
                .contains("\"type\":\"urn:tributary:problem:" + reason + "\"")
                .contains("\"status\":" + status)
                .contains("\"title\":")
                .contains("\"detail\":")
                .doesNotContain(SECRET).doesNotContain(SECRET.substring(6)).doesNotContain(ROTATED)
                .doesNotContain(GITHUB_SECRET).doesNotContain(STRIPE_SECRET).doesNotContain("v1,");
    }

    private HttpResponse<String> post(String source, String body, Map<String, String> headers) throws Exception {
        return send(base + source, body, headers);
    }

    private HttpResponse<String> send(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Headers signed by the Standard Webhooks reference library itself. */
    private static Map<String, String> standardHeaders(String secret, String id, Instant at, String body) throws Exception {
        long timestamp = at.getEpochSecond();
        return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", new Webhook(secret).sign(id, timestamp, body));
    }

    private static byte[] hmac(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private long endOffset(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The record with the latest timestamp on the topic. */
    private ConsumerRecord<String, byte[]> lastRecord(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await("read " + topic + " to its end").atMost(Duration.ofSeconds(10)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
            assertThat(records).as(topic).isNotEmpty();
            return records.stream().max(java.util.Comparator.comparingLong(ConsumerRecord::timestamp)).orElseThrow();
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }
}
