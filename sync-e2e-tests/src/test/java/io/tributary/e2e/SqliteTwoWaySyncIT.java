package io.tributary.e2e;

import java.nio.file.Path;
import java.util.List;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** Two-way sync on the embedded default: SQLite main database, capture from its changelog table (0024). */
@EmbeddedKafka(brokerProperties = "group.initial.rebalance.delay.ms=0")
class SqliteTwoWaySyncIT extends AbstractTwoWaySyncIT {

    @Override
    protected String jdbcUrl(Path mainDb) {
        return "jdbc:sqlite:" + mainDb + "?busy_timeout=10000";
    }

    @Override
    protected List<String> writerDatabase(Path mainDb) {
        return List.of(); // PipelineServices.writer points the writer at mainDb
    }

    @Override
    protected List<String> capture(Path mainDb) {
        return List.of("--tributary.poller.capture.dialect=sqlite", "--tributary.poller.capture.path=" + mainDb,
                "--tributary.poller.capture.poll-interval=100ms");
    }
}
