package io.tributary.poller.outbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.model.outbound.LocalChange;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * {@code tributary.poller.capture.captured} (tags {@code entity}, {@code op}): local changes published and
 * acknowledged; {@code tributary.poller.capture.lag} (tag {@code entity}): from the database's commit of a change
 * to Kafka's acknowledgement of it, which grows while the poller or the broker is down.
 */
final class CaptureMetrics {

    private final MeterRegistry registry;
    private final InstantSource clock;

    CaptureMetrics(MeterRegistry registry, InstantSource clock) {
        this.registry = registry;
        this.clock = clock;
    }

    void published(List<LocalChange> changes) {
        long now = clock.millis();
        for (LocalChange change : changes) {
            Counter.builder("tributary.poller.capture.captured").tags("entity", change.entity(), "op", change.op().name())
                    .description("Local changes of two-way entities published to their outbound topic")
                    .register(registry).increment();
            Timer.builder("tributary.poller.capture.lag").tags("entity", change.entity())
                    .description("From the database's commit of a local change to Kafka's acknowledgement of it")
                    .register(registry)
                    .record(Duration.ofMillis(Math.max(0, now - change.changedAt().toEpochMilli())));
        }
    }
}
