package io.tributary.e2e;

import java.nio.file.Path;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Two-way conflicts per policy on a SQLite main database (changelog capture, 0024). */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class SqliteTwoWayConflictIT extends AbstractTwoWayConflictIT {

    @Override
    protected TwoWayDatabase database(Path dir) {
        return TwoWayDatabase.sqlite(dir.resolve("main.db"));
    }
}
