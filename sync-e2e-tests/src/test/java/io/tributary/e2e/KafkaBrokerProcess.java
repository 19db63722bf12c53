package io.tributary.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in a child JVM, run from Kafka's
 * own jars on the test class path ({@code kafka.Kafka}, as {@code dev/kafka/kafka-broker.sh} runs it), so that
 * a test can stop it and start it again on the same ports and the same log directory, as an operator
 * restarting a broker does. {@code spring-kafka-test}'s in-process broker cannot: it binds new ports and a
 * new log directory each time. The ports are chosen free at construction.
 */
final class KafkaBrokerProcess implements AutoCloseable {

    private final ChildJvms jvms;
    private final Path properties;
    private final int port;
    private ChildJvms.Child broker;

    /** Writes the broker's configuration and formats its log directory under {@code dir}. */
    KafkaBrokerProcess(ChildJvms jvms, Path dir) {
        this.jvms = jvms;
        this.port = ChildJvms.freePort();
        int controllerPort = ChildJvms.freePort();
        this.properties = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir);
            Files.writeString(properties, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + dir.resolve("log"),
                    "num.partitions=3",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=3",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + properties, e);
        }
        ChildJvms.Child format = jvms.start("kafka-format", "256m", "kafka.tools.StorageTool", "format",
                "--standalone", "-t", Uuid.randomUuid().toString(), "-c", properties.toString());
        int status = format.awaitExit();
        if (status != 0) {
            throw new IllegalStateException("Formatting the broker's storage failed (" + status + "):\n"
                    + format.logTail());
        }
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker and waits until it answers a client. */
    void start() {
        if (broker != null && broker.isAlive()) {
            throw new IllegalStateException("The broker is running: " + broker);
        }
        ChildJvms.Child started = jvms.start("kafka", "512m", "kafka.Kafka", properties.toString());
        broker = started;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000))) {
            await("broker on " + bootstrap() + " answering").atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        if (!started.isAlive()) {
                            throw new IllegalStateException("The broker exited:\n" + started.logTail());
                        }
                        try {
                            return !admin.describeCluster().nodes().get(4, TimeUnit.SECONDS).isEmpty();
                        } catch (Exception e) {
                            return false;
                        }
                    });
        }
    }

    /** Stops the broker gracefully ({@code SIGTERM}: controlled shutdown) and waits for its exit. */
    void stop() {
        if (broker != null) {
            broker.stop();
        }
    }

    /** Kills the broker ({@code SIGKILL}: no controlled shutdown, no flush) and waits for its exit. */
    int kill() {
        return broker == null ? -1 : broker.kill();
    }

    @Override
    public void close() {
        if (broker != null && broker.isAlive()) {
            broker.kill();
        }
    }
}
