package io.tributary.poller.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Capture from a PostgreSQL main database through Debezium (the machine's PostgreSQL with
 * {@code wal_level=logical}, {@code .ci/prepare-postgresql}); one slot per test, dropped with its database.
 */
@EmbeddedKafka(partitions = 1, brokerProperties = "auto.create.topics.enable=false")
class PostgresCaptureIT extends AbstractCaptureIT {

    private final String slot = "capture_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    protected MainDatabase open() throws Exception {
        return MainDatabase.postgresql();
    }

    @Override
    protected List<String> captureArguments(MainDatabase db) {
        return List.of("--tributary.poller.capture.dialect=postgresql",
                "--tributary.poller.capture.url=" + db.pgUrl(),
                "--tributary.poller.capture.username=" + MainDatabase.PG_USER,
                "--tributary.poller.capture.slot-name=" + slot,
                "--tributary.poller.capture.heartbeat-interval=1s");
    }

    @Override
    protected String checkpointKey() {
        return "outbound-capture/" + slot;
    }

    @Override
    protected long storedPosition(Map<String, String> checkpoint) {
        Matcher lsn = Pattern.compile("\"lsn\":(\\d+)").matcher(checkpoint.get("offset-value"));
        return lsn.find() ? Long.parseLong(lsn.group(1)) : 0;
    }

    /** A table is captured from when it joins the capture's publication (Debezium sets its tables at engine start). */
    @Override
    protected void awaitCapturing(MainDatabase db, String table) {
        await(table + " in publication " + slot).atMost(Duration.ofSeconds(60)).until(() -> db.number(
                "SELECT count(*) FROM pg_publication_tables WHERE pubname = '" + slot + "' AND tablename = '" + table
                        + "'") == 1);
    }

    @Override
    protected void assertLargeValueStoredOutOfLine(MainDatabase db) throws Exception {
        String toast = db.string("SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'music_items'");
        assertThat(db.number("SELECT count(*) FROM " + toast)).as("chunks in %s, music_items' TOAST table", toast)
                .isPositive();
    }

    @Override
    protected boolean capturesChangesBeforeTheTableJoins() {
        return false;
    }

    /** The capture starts at the current WAL (no snapshot): its slot must stream before the test writes. */
    @Override
    protected void awaitCapturing(MainDatabase db) {
        await("capture slot " + slot + " streaming").atMost(Duration.ofSeconds(60)).until(() ->
                db.number("SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + slot + "'") == 1);
    }
}
