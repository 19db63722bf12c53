package io.tributary.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The store of record: two compacted topics, read to their end offsets at start-up (the bean is built, and
 * the service ready, only then) into memory, and written through with acks=all before a change is answered.
 * One admin instance writes (docs/decisions/0020); pollers and receivers read the same topics.
 */
@Component
class ConfigStore implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigStore.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    /**
     * An organization and the hash of its API token; after a rotation, the previous token's hash stays valid until
     * {@code previousValidUntil} (so that clients can switch without an outage), null when there is none.
     */
    record Organization(String id, String tokenHash, Instant createdAt, @Nullable String previousTokenHash,
            @Nullable Instant previousValidUntil) {

        Organization(String id, String tokenHash, Instant createdAt) {
            this(id, tokenHash, createdAt, null, null);
        }

        /** Whether {@code token} is this organization's current token, or its previous one still in its grace. */
        boolean accepts(String token, Instant now) {
            return Tokens.matches(token, tokenHash) || previousTokenHash != null && previousValidUntil != null
                    && now.isBefore(previousValidUntil) && Tokens.matches(token, previousTokenHash);
        }

        @Override
        public String toString() {
            return "Organization[id=" + id + "]";
        }
    }

    record SourceState(boolean paused, @Nullable Instant resyncRequestedAt, long version, Instant updatedAt) {
    }

    /** A topic value: the definition (credentials are only references) and its state. */
    record StoredSource(JsonNode definition, SourceState state) {
    }

    private final ObjectMapper json = JsonMapper.builder().build();
    private final AdminProperties properties;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, Organization> organizations = new ConcurrentHashMap<>();
    private final Map<String, StoredSource> sources = new ConcurrentHashMap<>();

    ConfigStore(KafkaProperties kafka, AdminProperties properties) {
        this.properties = properties;
        createTopics(kafka);
        load(kafka, properties.organizationsTopic(), (key, value) -> {
            if (value == null) organizations.remove(key);
            else organizations.put(key, json.readValue(value, Organization.class));
        });
        load(kafka, properties.sourcesTopic(), (key, value) -> {
            if (value == null) sources.remove(key);
            else sources.put(key, json.readValue(value, StoredSource.class));
        });
        LOG.info("Config loaded: {} organizations, {} sources", organizations.size(), sources.size());
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private void createTopics(KafkaProperties kafka) {
        try (Admin admin = Admin.create(kafka.buildAdminProperties())) {
            List<NewTopic> topics = List.of(properties.organizationsTopic(), properties.sourcesTopic()).stream()
                    .map(name -> new NewTopic(name, Optional.of(1), Optional.empty())
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))
                    .toList();
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Failed to create a config topic", e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer while creating the config topics", e);
        }
    }

    interface Apply {
        void apply(String key, byte @Nullable [] value);
    }

    private static void load(KafkaProperties kafka, String topic, Apply apply) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end offsets in 2 minutes");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply.apply(record.key(), record.value());
                }
            }
        }
    }

    Optional<Organization> organization(String id) {
        return Optional.ofNullable(organizations.get(id));
    }

    List<Organization> organizations() {
        return List.copyOf(organizations.values());
    }

    Optional<StoredSource> source(String organization, String id) {
        return Optional.ofNullable(sources.get(key(organization, id)));
    }

    List<StoredSource> sources(String organization) {
        List<StoredSource> found = new ArrayList<>();
        sources.forEach((key, value) -> {
            if (key.startsWith(organization + "/")) found.add(value);
        });
        found.sort((a, b) -> a.definition().get("id").asString().compareTo(b.definition().get("id").asString()));
        return found;
    }

    synchronized void putOrganization(Organization organization) {
        send(properties.organizationsTopic(), organization.id(), json.writeValueAsBytes(organization));
        organizations.put(organization.id(), organization);
    }

    /** Deletes the organization and, first, every source of it (tombstones). */
    synchronized void deleteOrganization(String id) {
        for (StoredSource source : sources(id)) {
            deleteSource(id, source.definition().get("id").asString());
        }
        send(properties.organizationsTopic(), id, null);
        organizations.remove(id);
    }

    synchronized void putSource(String organization, String id, StoredSource source) {
        send(properties.sourcesTopic(), key(organization, id), json.writeValueAsBytes(source));
        sources.put(key(organization, id), source);
    }

    synchronized void deleteSource(String organization, String id) {
        send(properties.sourcesTopic(), key(organization, id), null);
        sources.remove(key(organization, id));
    }

    static String key(String organization, String id) {
        return organization + "/" + id;
    }

    private void send(String topic, String key, byte @Nullable [] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Failed to write " + topic + " key " + key, e);
        }
    }

    @Override
    public void destroy() {
        producer.close(Duration.ofSeconds(5));
    }
}
