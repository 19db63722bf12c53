package io.tributary.poller.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics while the poller runs (a live source's change topics, a newly two-way entity's outbound topic),
 * with the partitions and replication factor of {@code tributary.poller.topics}: the topics created at start come
 * from {@code KafkaAdmin.NewTopics} beans, but a broker with {@code auto.create.topics.enable=false} (production)
 * creates nothing else. Idempotent: a topic that exists already counts as created and is left as it is (adding
 * partitions to a topic that has data moves keys to other partitions; that stays an operator's decision).
 * Remembers what it created or found, so a second call for the same names costs nothing. One admin client, made
 * at the first call and closed with the application context. Thread-safe.
 */
public final class TopicCreator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private final Map<String, Object> adminConfig;
    private final PollerProperties.Topics topics;
    private final Duration timeout;
    private final Set<String> present = ConcurrentHashMap.newKeySet();
    private @Nullable Admin admin;

    TopicCreator(Map<String, Object> adminConfig, PollerProperties.Topics topics, Duration timeout) {
        this.adminConfig = Map.copyOf(adminConfig);
        this.topics = topics;
        this.timeout = timeout;
    }

    /**
     * Returns once every topic of {@code names} exists; throws, naming the topics and the broker's reason, if one
     * could not be created (the caller retries).
     */
    public void ensure(Collection<String> names) throws InterruptedException {
        List<NewTopic> missing = names.stream().distinct().filter(name -> !present.contains(name))
                .map(name -> new NewTopic(name, Optional.of(topics.partitions()), topics.replicationFactor() > 0
                        ? Optional.of(topics.replicationFactor()) : Optional.empty()))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        List<String> failed = new ArrayList<>();
        Throwable cause = null;
        try {
            CreateTopicsResult result = admin().createTopics(missing,
                    new CreateTopicsOptions().timeoutMs((int) timeout.toMillis()));
            for (NewTopic topic : missing) {
                try {
                    result.values().get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    present.add(topic.name());
                    LOG.info("Created topic {} ({} partitions, replication factor {})", topic.name(),
                            topics.partitions(), topics.replicationFactor() > 0 ? topics.replicationFactor() : "broker default");
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        present.add(topic.name());
                    } else {
                        failed.add(topic.name());
                        cause = e.getCause();
                    }
                } catch (TimeoutException e) {
                    failed.add(topic.name());
                    cause = e;
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("Failed to create topics " + missing.stream().map(NewTopic::name).toList()
                    + ": " + e, e);
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("Failed to create topics " + failed + ": " + cause, cause);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
