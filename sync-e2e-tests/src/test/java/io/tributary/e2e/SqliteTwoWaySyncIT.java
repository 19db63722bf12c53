package io.tributary.e2e;

import java.nio.file.Path;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Two-way sync on the embedded default: SQLite main database, capture from its changelog table (0024). */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class SqliteTwoWaySyncIT extends AbstractTwoWaySyncIT {

    @Override
    protected TwoWayDatabase database(Path dir) {
        return TwoWayDatabase.sqlite(dir.resolve("main.db"));
    }
}
