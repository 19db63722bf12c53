package io.tributary.ingest.receive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tributary.ingest.webhooks{source, outcome=accepted|duplicate|rejected, reason}} (reason: what was
 * published — {@code upsert|delete|refresh} — or why not, e.g. {@code signature-invalid}); and
 * {@code tributary.ingest.accept.latency{source}}, from the request to the broker's acknowledgement.
 * Unknown sources are counted as {@code source=unknown} (a path segment is no tag). One INFO line per
 * {@code log-every} accepted webhooks.
 */
final class IngestMetrics {

    static final String UNKNOWN_SOURCE = "unknown";
    private static final Logger LOG = LoggerFactory.getLogger(IngestMetrics.class);

    private final MeterRegistry registry;
    private final int logEvery;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();

    IngestMetrics(MeterRegistry registry, int logEvery) {
        this.registry = registry;
        this.logEvery = logEvery;
    }

    void accepted(String source, String kind, long startedNanos) {
        counter(source, "accepted", kind).increment();
        timers.computeIfAbsent(source, s -> Timer.builder("tributary.ingest.accept.latency")
                        .tag("source", s)
                        .description("From receiving a webhook to Kafka's acknowledgement of what it published")
                        .publishPercentiles(0.5, 0.99)
                        .publishPercentileHistogram()
                        .register(registry))
                .record(Duration.ofNanos(System.nanoTime() - startedNanos));
        long total = accepted.incrementAndGet();
        if (total % logEvery == 0) {
            LOG.info("Accepted {} webhooks so far (latest from {})", total, source);
        }
    }

    void duplicate(String source) {
        counter(source, "duplicate", "delivery-id-seen").increment();
    }

    void rejected(String source, String reason) {
        counter(source, "rejected", reason).increment();
    }

    /** A record that could not be mapped, sent to its entity's dead-letter topic (then answered 400). */
    void deadLettered(String source, String entity) {
        counters.computeIfAbsent(source + "/dlt/" + entity, k -> Counter.builder("tributary.ingest.dead.lettered")
                .tags("source", source, "entity", entity)
                .description("Verified webhooks whose record could not be mapped, sent to tributary.changes.<entity>.dlt")
                .register(registry)).increment();
    }

    private Counter counter(String source, String outcome, String reason) {
        return counters.computeIfAbsent(source + '/' + outcome + '/' + reason, k -> Counter.builder("tributary.ingest.webhooks")
                .tags("source", source, "outcome", outcome, "reason", reason)
                .description("Webhooks received, by outcome")
                .register(registry));
    }
}
