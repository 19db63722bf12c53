package io.tributary.e2e;

import java.nio.file.Path;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Two-way sync on the machine's PostgreSQL as the main database, capture through Debezium (0024); a database and
 * a slot of its own, dropped after ({@link TwoWayDatabase#postgres}).
 */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class PostgresTwoWaySyncIT extends AbstractTwoWaySyncIT {

    @Override
    protected TwoWayDatabase database(Path dir) {
        return TwoWayDatabase.postgres();
    }
}
