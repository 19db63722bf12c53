package io.tributary.writer.live;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The config topic as the admin service writes it ({@code ConfigStore}): compacted, one partition, key
 * {@code <organization>/<source id>}, value {@code {"definition": <the definition as JSON>, "state": {"paused",
 * "resyncRequestedAt", "version", "updatedAt"}}}, a tombstone on delete.
 */
final class ConfigTopic implements AutoCloseable {

    static final String TOPIC = "tributary.config.sources";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private long version;

    ConfigTopic(String bootstrap) throws Exception {
        this(bootstrap, TOPIC);
    }

    /** A topic of another name: tests that share a broker each follow their own. */
    ConfigTopic(String bootstrap, String topic) throws Exception {
        this.topic = topic;
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
            client.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Stores a definition (YAML, organization {@code acme}) as the admin service would. */
    void put(String sourceId, String yaml, boolean paused) throws Exception {
        put("acme", sourceId, yaml, paused);
    }

    /** Stores {@code organization}'s definition (its YAML names that organization) under its key. */
    void put(String organization, String sourceId, String yaml, boolean paused) throws Exception {
        JsonNode definition = YAML.readTree(yaml);
        ObjectNode value = JSON.createObjectNode();
        value.set("definition", definition);
        ObjectNode state = value.putObject("state");
        state.put("paused", paused);
        state.putNull("resyncRequestedAt");
        state.put("version", ++version);
        state.put("updatedAt", "2026-12-06T10:00:00Z");
        send(organization + "/" + sourceId, JSON.writeValueAsBytes(value));
    }

    void delete(String sourceId) throws Exception {
        send("acme/" + sourceId, null);
    }

    private void send(String key, byte @Nullable [] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        producer.close();
    }
}
