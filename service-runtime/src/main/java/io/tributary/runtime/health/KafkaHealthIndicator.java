package io.tributary.runtime.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code kafka}: UP when the cluster describes itself (cluster id and broker count) within the service's
 * {@code tributary.<service>.health.kafka-timeout}, DOWN otherwise. One admin client for the application's
 * life, created at the first check (so an unresolvable bootstrap address is a DOWN, not a failed start).
 */
public final class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaHealthIndicator.class);

    private final Map<String, Object> adminConfig;
    private final Duration timeout;
    private @Nullable Admin admin;

    /**
     * @param adminProperties the application's Kafka admin settings (bootstrap servers, security)
     * @param clientId        the admin client's id, e.g. {@code tributary-writer-health}
     * @param timeout         how long a check waits for the cluster
     */
    public KafkaHealthIndicator(Map<String, Object> adminProperties, String clientId, Duration timeout) {
        Map<String, Object> config = new HashMap<>(adminProperties);
        int millis = (int) timeout.toMillis();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        this.adminConfig = config;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        try {
            DescribeClusterResult cluster = admin().describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
            String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("clusterId", clusterId).withDetail("brokers", brokers).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        } catch (TimeoutException e) {
            return down("no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return down(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (KafkaException e) {
            return down(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Health down(String error) {
        LOG.debug("Kafka is DOWN: {}", error);
        return Health.down().withDetail("error", error).build();
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    @Override
    public synchronized void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
