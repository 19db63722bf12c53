package io.tributary.e2e;

import java.nio.file.Path;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Two-way conflicts per policy on the machine's PostgreSQL (Debezium capture, 0024). */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class PostgresTwoWayConflictIT extends AbstractTwoWayConflictIT {

    @Override
    protected TwoWayDatabase database(Path dir) {
        return TwoWayDatabase.postgres();
    }
}
