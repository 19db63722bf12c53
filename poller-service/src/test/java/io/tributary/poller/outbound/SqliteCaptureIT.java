package io.tributary.poller.outbound;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Capture from the SQLite main database's changelog; small batches so that a stop falls between them. The broker
 * creates no topic by itself: the poller must.
 */
@EmbeddedKafka(partitions = 1, brokerProperties = "auto.create.topics.enable=false")
class SqliteCaptureIT extends AbstractCaptureIT {

    @TempDir
    Path dir;

    @Override
    protected MainDatabase open() throws Exception {
        return MainDatabase.sqlite(dir.resolve("tributary.db"));
    }

    @Override
    protected List<String> captureArguments(MainDatabase db) {
        return List.of("--tributary.poller.capture.dialect=sqlite",
                "--tributary.poller.capture.path=" + dir.resolve("tributary.db"),
                "--tributary.poller.capture.poll-interval=50ms",
                "--tributary.poller.capture.batch-size=7");
    }

    @Override
    protected String checkpointKey() {
        return ChangelogCapture.CHECKPOINT.encode();
    }

    @Override
    protected long storedPosition(Map<String, String> checkpoint) {
        return Long.parseLong(checkpoint.get(ChangelogCapture.SEQUENCE));
    }

    @Override
    protected void awaitCapturing(MainDatabase db, String table) {
        // the writer's triggers keep every change of the table from when they were created
    }

    @Override
    protected boolean capturesChangesBeforeTheTableJoins() {
        return true;
    }

    @Override
    protected void awaitCapturing(MainDatabase db) {
        // the changelog keeps every change made before the capture starts
    }

    @Override
    protected void afterAllReceived(MainDatabase db) {
        await("changelog purged below the stored position").atMost(Duration.ofSeconds(10))
                .until(() -> db.number("SELECT count(*) FROM tributary_changelog") == 0);
    }
}
