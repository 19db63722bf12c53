package io.tributary.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
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
     * An organization, the hash of its API token and the source ids it has claimed; after a rotation, the previous
     * token's hash stays valid until {@code previousValidUntil} (so that clients can switch without an outage), null
     * when there is none. Source ids are global (decision 0031): a claimed id stays the organization's after its source
     * is deleted (its rows stay in the main database under that id), until the organization is deleted.
     */
    record Organization(String id, String tokenHash, Instant createdAt, @Nullable String previousTokenHash,
            @Nullable Instant previousValidUntil, SortedSet<String> sourceIds) {

        Organization {
            // absent from records written before claims existed
            sourceIds = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(sourceIds == null ? Set.of() : sourceIds));
        }

        Organization(String id, String tokenHash, Instant createdAt) {
            this(id, tokenHash, createdAt, null, null, new TreeSet<>());
        }

        Organization claiming(String sourceId) {
            SortedSet<String> claimed = new TreeSet<>(sourceIds());
            claimed.add(sourceId);
            return new Organization(id, tokenHash, createdAt, previousTokenHash, previousValidUntil, claimed);
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
    /** Source id → the organization that claimed it; ids are global (decision 0031). */
    private final Map<String, String> claims = new ConcurrentHashMap<>();

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
        loadClaims();
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

    /**
     * Who holds each source id: the organizations' own claims, then (sources stored before claims were recorded) the
     * organization of each stored source. Two organizations holding one id can only come from such older data or
     * from writes by other means: reported, the first in key order keeps it (the pollers refuse the other too).
     */
    private void loadClaims() {
        new TreeMap<>(organizations).forEach((org, organization) -> organization.sourceIds().forEach(id -> claim(id, org)));
        new TreeMap<>(sources).keySet().forEach(key -> claim(key.substring(key.indexOf('/') + 1), key.substring(0, key.indexOf('/'))));
    }

    private void claim(String sourceId, String org) {
        String holder = claims.putIfAbsent(sourceId, org);
        if (holder != null && !holder.equals(org)) {
            LOG.warn("Source id '{}' is claimed by organizations {} and {}: source ids are global (they key change events, "
                    + "rows and checkpoints); {} keeps it, {} cannot store a source of that id until one of them is deleted",
                    sourceId, holder, org, holder, org);
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

    /** The organization holding {@code sourceId}, if any. */
    Optional<String> claimant(String sourceId) {
        return Optional.ofNullable(claims.get(sourceId));
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

    /**
     * Gives {@code organization} a new token; the current one stays valid until {@code previousValidUntil} (null: not at
     * all). Read and written under the store's lock, so a claim made meanwhile is not lost.
     */
    synchronized void rotateToken(String organization, String tokenHash, @Nullable Instant previousValidUntil) {
        Organization current = organizations.get(organization);
        if (current == null) {
            throw new IllegalStateException("Organization " + organization + " is gone");
        }
        putOrganization(new Organization(current.id(), tokenHash, current.createdAt(),
                previousValidUntil == null ? null : current.tokenHash(), previousValidUntil, current.sourceIds()));
    }

    synchronized void putOrganization(Organization organization) {
        send(properties.organizationsTopic(), organization.id(), json.writeValueAsBytes(organization));
        organizations.put(organization.id(), organization);
    }

    /** Deletes the organization and, first, every source of it (tombstones); its source ids are free again. */
    synchronized void deleteOrganization(String id) {
        for (StoredSource source : sources(id)) {
            deleteSource(id, source.definition().get("id").asString());
        }
        send(properties.organizationsTopic(), id, null);
        organizations.remove(id);
        claims.values().removeIf(id::equals);
    }

    /**
     * Stores {@code organization}'s source {@code id}, claiming the id first (the claim is written before the source,
     * so a crash in between leaves a claim, never a source without one). False, and nothing written, when another
     * organization holds the id.
     */
    synchronized boolean putSource(String organization, String id, StoredSource source) {
        String holder = claims.get(id);
        if (holder != null && !holder.equals(organization)) {
            return false;
        }
        recordClaim(organization, id);
        send(properties.sourcesTopic(), key(organization, id), json.writeValueAsBytes(source));
        sources.put(key(organization, id), source);
        return true;
    }

    /** Tombstones the source; the organization keeps its id (recorded first, for a source stored before claims were). */
    synchronized void deleteSource(String organization, String id) {
        recordClaim(organization, id);
        send(properties.sourcesTopic(), key(organization, id), null);
        sources.remove(key(organization, id));
    }

    private void recordClaim(String organization, String id) {
        Organization owner = organizations.get(organization);
        if (owner != null && !owner.sourceIds().contains(id)) {
            putOrganization(owner.claiming(id));
        }
        claims.putIfAbsent(id, organization);
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
