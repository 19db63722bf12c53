package io.tributary.poller.refresh;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.model.ChangeEvent;
import io.tributary.model.RefreshRequest;
import io.tributary.poller.runtime.LiveRefreshers;
import io.tributary.poller.runtime.RecordRefresher;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;

/**
 * One refresh request: ask the source's {@link RecordRefresher}, publish the resulting event (UPSERT or
 * DELETE) to its change topic and wait for Kafka's acknowledgement, so the request's offset is committed
 * only after its event is safe. A failure is thrown to the container's error handler, which retries a few
 * times and then skips the request (polling remains the backstop). Counted in
 * {@code tributary.poller.refresh{source,entity,outcome=upsert|delete|unknown_source}}.
 */
final class RefreshListener implements MessageListener<String, RefreshRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshListener.class);

    private final Map<String, RecordRefresher> refreshers;
    private final LiveRefreshers live;
    private final KafkaTemplate<String, ChangeEvent> template;
    private final Duration publishTimeout;
    private final MeterRegistry registry;

    /** {@code refreshers}: the configured sources'; {@code live}: those started from the config topic. */
    RefreshListener(Map<String, RecordRefresher> refreshers, LiveRefreshers live,
            KafkaTemplate<String, ChangeEvent> template, Duration publishTimeout, MeterRegistry registry) {
        this.refreshers = Map.copyOf(refreshers);
        this.live = live;
        this.template = template;
        this.publishTimeout = publishTimeout;
        this.registry = registry;
    }

    @Override
    public void onMessage(ConsumerRecord<String, RefreshRequest> record) {
        RefreshRequest request = record.value();
        RecordRefresher refresher = refreshers.containsKey(request.sourceId()) ? refreshers.get(request.sourceId())
                : live.find(request.sourceId()).orElse(null);
        if (refresher == null) {
            count(request, "unknown_source");
            LOG.warn("Skipped a refresh request for {} {}: source '{}' is not configured here, not running (paused?) or cannot refresh",
                    request.entity(), request.key(), request.sourceId());
            return;
        }
        ChangeEvent event = refresher.refresh(request);
        try {
            template.send(event.topic(), event.key().encode(), event).get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while publishing the refresh of " + request.key(), e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Failed to publish the refresh of " + request.entity() + " " + request.key()
                    + ": " + cause, cause);
        }
        count(request, event.op().name().toLowerCase(java.util.Locale.ROOT));
        LOG.debug("Refreshed {} {} ({}): {} at version {}", request.entity(), request.key(), request.reason(), event.op(),
                event.sourceVersion());
    }

    private void count(RefreshRequest request, String outcome) {
        Counter.builder("tributary.poller.refresh")
                .tags("source", request.sourceId(), "entity", request.entity(), "outcome", outcome)
                .description("Refresh requests served, by outcome")
                .register(registry)
                .increment();
    }
}
