package io.tributary.writer;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.writer.consume.ChangeSubscription;
import io.tributary.model.ChangeTopics;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the scaled-writer tests read about a consumer group of writers on one PostgreSQL main DB: the rows
 * as {@link ScaledWritersIT.History} describes them, committed and end offsets, each writer's partitions
 * and dead letters.
 */
final class WriterGroupProbe {

    private static final List<String> ENTITIES = List.of("users", "sections", "topics", "messages");

    private WriterGroupProbe() {
    }

    /** Every row as "entity:externalId" → its state, references as external ids. */
    static Map<String, String> state(PostgresTestDatabase postgres) throws Exception {
        Map<String, String> state = new TreeMap<>();
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement()) {
            read(statement, state, "users", "SELECT r.external_id, r.source_version, r.deleted, r.name AS content,"
                    + " NULL AS ref1, NULL AS ref2, NULL AS ref3 FROM users r");
            read(statement, state, "sections", "SELECT r.external_id, r.source_version, r.deleted, r.title AS content,"
                    + " NULL AS ref1, NULL AS ref2, NULL AS ref3 FROM sections r");
            read(statement, state, "topics", "SELECT r.external_id, r.source_version, r.deleted, r.title AS content,"
                    + " s.external_id AS ref1, u.external_id AS ref2, NULL AS ref3 FROM topics r"
                    + " LEFT JOIN sections s ON s.id = r.section_id LEFT JOIN users u ON u.id = r.user_id");
            read(statement, state, "messages", "SELECT r.external_id, r.source_version, r.deleted, r.body AS content,"
                    + " t.external_id AS ref1, u.external_id AS ref2, p.external_id AS ref3 FROM messages r"
                    + " LEFT JOIN topics t ON t.id = r.topic_id LEFT JOIN users u ON u.id = r.user_id"
                    + " LEFT JOIN messages p ON p.id = r.parent_id");
        }
        return state;
    }

    private static void read(Statement statement, Map<String, String> state, String entity, String sql) throws Exception {
        try (ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                state.put(entity + ":" + rs.getString("external_id"), ScaledWritersIT.History.describe(
                        rs.getLong("source_version"), rs.getInt("deleted") == 1, rs.getString("content"),
                        rs.getString("ref1"), rs.getString("ref2"), rs.getString("ref3")));
            }
        }
    }

    static KafkaProducer<String, byte[]> producer(String brokers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** The group's committed offsets, partitions at offset 0 left out. */
    static Map<TopicPartition, Long> committedOffsets(String brokers, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> offsets = new HashMap<>();
            committed.forEach((tp, om) -> offsets.put(tp, om.offset()));
            offsets.values().removeIf(offset -> offset == 0);
            return offsets;
        }
    }

    /** The change topics' end offsets, empty partitions left out. */
    static Map<TopicPartition, Long> endOffsets(String brokers, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String entity : ENTITIES) {
                for (int p = 0; p < partitions; p++) {
                    request.put(new TopicPartition(ChangeTopics.forEntity(entity), p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> offsets.put(tp, info.offset()));
            offsets.values().removeIf(offset -> offset == 0);
            return offsets;
        }
    }

    static Collection<TopicPartition> assigned(ConfigurableApplicationContext writer) {
        Collection<TopicPartition> partitions = writer.getBean(ChangeSubscription.class).assignedPartitions();
        return partitions == null ? List.of() : partitions;
    }

    static double deadLettered(ConfigurableApplicationContext writer) {
        return writer.getBean(MeterRegistry.class).find("tributary.writer.dead.lettered").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
