package io.tributary.writer.consume;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * Logs every partition assignment and revocation (INFO): with several writers in one group, this is how
 * an operator sees who applies what. With a database that only one writer may own (SQLite), an assignment
 * of only part of the change topics' partitions means another writer joined the group and applies the
 * rest to ITS database: that is logged as an ERROR on every rebalance until the second writer is stopped.
 *
 * <p>Offsets are never the concern here: with {@code AckMode.BATCH} a batch's offsets are committed after
 * its database commit, before the consumer can take part in a rebalance (the container commits pending
 * offsets when partitions are revoked), so a partition moves to another writer at a committed position.
 */
final class PartitionAssignmentListener implements ConsumerAwareRebalanceListener {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionAssignmentListener.class);

    private final List<String> topics;
    private final boolean concurrentWritersSupported;
    private final String groupId;

    PartitionAssignmentListener(List<String> topics, boolean concurrentWritersSupported, String groupId) {
        this.topics = List.copyOf(topics);
        this.concurrentWritersSupported = concurrentWritersSupported;
        this.groupId = groupId;
    }

    @Override
    public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.info("Partitions revoked (offsets committed): {}", describe(partitions));
        }
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<TopicPartition> assignment = consumer.assignment();
        LOG.info("Partitions assigned to member {}: {} (now applying {})", consumer.groupMetadata().memberId(),
                describe(partitions), describe(assignment));
        if (concurrentWritersSupported) {
            return;
        }
        int total = 0;
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            total += infos == null ? 0 : infos.size();
        }
        if (total > 0 && assignment.size() < total) {
            LOG.error("ANOTHER WRITER HAS JOINED consumer group '{}': this instance was assigned {} of the {} change"
                    + " partitions. The main database's dialect allows exactly ONE writer instance (SQLite): every other"
                    + " instance applies its share to its own database file, so neither database is complete. Stop"
                    + " all but one writer, or use tributary.writer.database.dialect=postgresql to scale out.",
                    groupId, assignment.size(), total);
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.warn("Partitions lost (this consumer was evicted from the group; another writer may re-apply"
                    + " its last uncommitted batch, which the version guard makes harmless): {}", describe(partitions));
        }
    }

    /** "tributary.changes.users[0,1] tributary.changes.topics[2]". */
    static String describe(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return "none";
        }
        return partitions.stream()
                .collect(Collectors.groupingBy(TopicPartition::topic, TreeMap::new,
                        Collectors.mapping(TopicPartition::partition, Collectors.toCollection(TreeSet::new))))
                .entrySet().stream()
                .map(e -> e.getKey() + e.getValue().toString().replace(" ", ""))
                .collect(Collectors.joining(" "));
    }
}
