package io.tributary.poller.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.spi.SourcePartition;

/**
 * {@code tributary.poller.requests} by source, entity and status class ({@code 2xx}, {@code 3xx},
 * {@code 4xx}, {@code 5xx}, {@code 429} on its own, {@code none} when no response arrived).
 */
final class RequestMetrics {

    private final Counter[] byClass = new Counter[6];
    private final Counter tooManyRequests;
    private final Counter none;

    RequestMetrics(MeterRegistry registry, SourcePartition partition) {
        for (int statusClass = 1; statusClass <= 5; statusClass++) {
            byClass[statusClass] = counter(registry, partition, statusClass + "xx");
        }
        tooManyRequests = counter(registry, partition, "429");
        none = counter(registry, partition, "none");
    }

    void answered(int status) {
        if (status == 429) {
            tooManyRequests.increment();
        } else if (status >= 100 && status < 600) {
            byClass[status / 100].increment();
        } else {
            none.increment();
        }
    }

    void failedWithoutStatus() {
        none.increment();
    }

    private static Counter counter(MeterRegistry registry, SourcePartition partition, String status) {
        return Counter.builder("tributary.poller.requests")
                .tags("source", partition.sourceId(), "entity", partition.entity(), "status", status)
                .description("HTTP requests to the source by status class")
                .register(registry);
    }
}
