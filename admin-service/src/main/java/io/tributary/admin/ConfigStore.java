package io.tributary.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
     * An organization, the hash of its API token and the names it has claimed; after a rotation, the previous token's
     * hash stays valid until {@code previousValidUntil} (so that clients can switch without an outage), null when there
     * is none. Source ids and entity names are global (decision 0031): a claimed name stays the organization's after
     * its source is deleted (its rows stay in the main database under it), and after the organization is deleted: its
     * record then stays too, with {@code deletedAt} and no token, so its names and its id are never handed to another.
     */
    record Organization(String id, String tokenHash, Instant createdAt, @Nullable String previousTokenHash,
            @Nullable Instant previousValidUntil, SortedSet<String> sourceIds, SortedSet<String> entities,
            @Nullable Instant deletedAt) {

        Organization {
            // absent from records written before claims existed
            sourceIds = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(sourceIds == null ? Set.of() : sourceIds));
            entities = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(entities == null ? Set.of() : entities));
        }

        Organization(String id, String tokenHash, Instant createdAt) {
            this(id, tokenHash, createdAt, null, null, new TreeSet<>(), new TreeSet<>(), null);
        }

        Organization claiming(String sourceId, Collection<String> entityNames) {
            SortedSet<String> claimed = new TreeSet<>(sourceIds());
            claimed.add(sourceId);
            SortedSet<String> named = new TreeSet<>(entities());
            named.addAll(entityNames);
            return new Organization(id, tokenHash, createdAt, previousTokenHash, previousValidUntil, claimed, named, deletedAt);
        }

        Organization withToken(String hash, @Nullable String previousHash, @Nullable Instant previousUntil) {
            return new Organization(id, hash, createdAt, previousHash, previousUntil, sourceIds, entities, deletedAt);
        }

        /** Deleted: no token opens it any more; its claims stay. */
        Organization deleted(Instant at) {
            return new Organization(id, "", createdAt, null, null, sourceIds, entities, at);
        }

        boolean live() {
            return deletedAt == null;
        }

        /** Whether {@code token} is this organization's current token, or its previous one still in its grace. */
        boolean accepts(String token, Instant now) {
            return live() && (Tokens.matches(token, tokenHash) || previousTokenHash != null && previousValidUntil != null
                    && now.isBefore(previousValidUntil) && Tokens.matches(token, previousTokenHash));
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
    /** Source ids and entity names → the organization that claimed them; global (decision 0031). */
    private final Claims claims = new Claims();

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
     * Who holds each source id and entity name: the organizations' own claims (deleted organizations' too), then
     * (sources stored before claims were recorded) the names of each stored source, in key order.
     */
    private void loadClaims() {
        new TreeMap<>(organizations).forEach((org, organization) -> {
            organization.sourceIds().forEach(id -> claims.load(Claims.Kind.SOURCE_ID, id, org));
            organization.entities().forEach(entity -> claims.load(Claims.Kind.ENTITY, entity, org));
        });
        new TreeMap<>(sources).forEach((key, source) -> {
            String org = key.substring(0, key.indexOf('/'));
            claims.load(Claims.Kind.SOURCE_ID, key.substring(key.indexOf('/') + 1), org);
            Claims.entityNames(source.definition()).stream().filter(name -> !name.isEmpty())
                    .forEach(entity -> claims.load(Claims.Kind.ENTITY, entity, org));
        });
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

    /** A live organization (not one deleted). */
    Optional<Organization> organization(String id) {
        return Optional.ofNullable(organizations.get(id)).filter(Organization::live);
    }

    /** Whether {@code id} was an organization's that was deleted: the id is not given to another. */
    boolean deleted(String id) {
        Organization organization = organizations.get(id);
        return organization != null && !organization.live();
    }

    /** The live organizations. */
    List<Organization> organizations() {
        return organizations.values().stream().filter(Organization::live).toList();
    }

    /**
     * Every name of {@code definition} (its id, then its entities) that an organization other than
     * {@code organization} holds.
     */
    List<Claims.Taken> taken(String organization, JsonNode definition) {
        return claims.taken(organization, definition);
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
        putOrganization(current.withToken(tokenHash, previousValidUntil == null ? null : current.tokenHash(),
                previousValidUntil));
    }

    synchronized void putOrganization(Organization organization) {
        send(properties.organizationsTopic(), organization.id(), json.writeValueAsBytes(organization));
        organizations.put(organization.id(), organization);
    }

    /**
     * Deletes the organization: every source of it first (tombstones), then its record is replaced by a deleted one
     * (no token, its claims kept): its source ids and entity names, under which its rows stay in the main database,
     * are never handed to another organization (decision 0031), nor is its id.
     */
    synchronized void deleteOrganization(String id, Instant at) {
        for (StoredSource source : sources(id)) {
            deleteSource(id, source.definition().get("id").asString());
        }
        Organization current = organizations.get(id);
        if (current != null) {
            putOrganization(current.deleted(at));
        }
    }

    /**
     * Stores {@code organization}'s source {@code id}, claiming the id and the definition's entity names first (the
     * claims are written before the source, so a crash in between leaves a claim, never a source without one). The
     * first name another organization holds, and nothing written, when there is one.
     */
    synchronized Optional<Claims.Taken> putSource(String organization, String id, StoredSource source) {
        Optional<Claims.Taken> taken = claims.taken(organization, source.definition()).stream().findFirst();
        if (taken.isPresent()) {
            return taken;
        }
        recordClaims(organization, id, source.definition());
        send(properties.sourcesTopic(), key(organization, id), json.writeValueAsBytes(source));
        sources.put(key(organization, id), source);
        return Optional.empty();
    }

    /** Tombstones the source; the organization keeps its names (recorded first, for a source stored before claims were). */
    synchronized void deleteSource(String organization, String id) {
        StoredSource stored = sources.get(key(organization, id));
        if (stored != null) {
            recordClaims(organization, id, stored.definition());
        }
        send(properties.sourcesTopic(), key(organization, id), null);
        sources.remove(key(organization, id));
    }

    private void recordClaims(String organization, String id, JsonNode definition) {
        List<String> entities = Claims.entityNames(definition).stream().filter(name -> !name.isEmpty()).toList();
        Organization owner = organizations.get(organization);
        if (owner != null && (!owner.sourceIds().contains(id) || !owner.entities().containsAll(entities))) {
            putOrganization(owner.claiming(id, entities));
        }
        claims.claim(Claims.Kind.SOURCE_ID, id, organization);
        entities.forEach(entity -> claims.claim(Claims.Kind.ENTITY, entity, organization));
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
