package io.tributary.simulator.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.simulator.content.ForumChange;
import io.tributary.simulator.content.ForumChangeFeed;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the feed's changes as Standard Webhooks, best effort: on the mutating thread it only decides
 * (lost? thin? duplicated? delay?) and schedules; the POSTs run on a non-blocking WebClient. Each delivery
 * is signed at each attempt: {@code webhook-id} (kept by a duplicate), {@code webhook-timestamp} (Unix
 * seconds), {@code webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">}. Non-2xx or no
 * answer is retried {@code retries} times with doubling backoff, then given up. Counted in
 * {@code tributary.simulator.webhooks{outcome=sent|delivered|failed|lost|dropped|duplicated}}.
 */
final class WebhookSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final WebhookProperties properties;
    private final ForumChangeFeed feed;
    private final WebClient client;
    private final MeterRegistry meters;
    private final SplittableRandom rnd = new SplittableRandom();
    private final AtomicInteger pending = new AtomicInteger();
    private final byte[] key;
    private @Nullable Scheduler timer;
    private Disposable.@Nullable Composite inFlight;
    private ForumChangeFeed.@Nullable Subscription subscription;

    WebhookSender(WebhookProperties properties, ForumChangeFeed feed, WebClient client, MeterRegistry meters) {
        this.properties = properties;
        this.feed = feed;
        this.client = client;
        this.meters = meters;
        this.key = properties.enabled() ? properties.key() : new byte[0];
    }

    @Override
    public synchronized void start() {
        log.info("Webhooks: {}", properties);
        if (!properties.enabled() || subscription != null) {
            return;
        }
        timer = Schedulers.newSingle("forum-simulator-webhooks", true);
        inFlight = Disposables.composite();
        subscription = feed.subscribe(this::onChange);
    }

    @Override
    public synchronized void stop() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (inFlight != null) {
            inFlight.dispose();
            inFlight = null;
        }
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }

    /** Runs on the mutating thread: decides and schedules, never waits. */
    private void onChange(ForumChange change) {
        synchronized (rnd) {
            if (rnd.nextDouble() >= properties.deliveryProbability()) {
                count("lost");
                return;
            }
        }
        boolean thin;
        boolean duplicate;
        synchronized (rnd) {
            thin = change.kind() != ForumChange.Kind.DELETED && rnd.nextDouble() < properties.thinProbability();
            duplicate = rnd.nextDouble() < properties.duplicateProbability();
        }
        byte[] body = body(change, thin);
        String id = "msg_" + UUID.randomUUID();
        schedule(id, body);
        if (duplicate) {
            count("duplicated");
            schedule(id, body);
        }
    }

    private void schedule(String id, byte[] body) {
        Scheduler scheduler = timer;
        Disposable.Composite tracked = inFlight;
        if (scheduler == null || tracked == null) {
            return;
        }
        if (pending.incrementAndGet() > properties.queueCapacity()) {
            pending.decrementAndGet();
            count("dropped");
            return;
        }
        long delay;
        synchronized (rnd) {
            delay = properties.maxDelay().isZero() ? 0 : rnd.nextLong(properties.maxDelay().toMillis() + 1);
        }
        Mono<Void> delivery = Mono.delay(java.time.Duration.ofMillis(delay), scheduler)
                .then(Mono.defer(() -> post(id, body)))
                .retryWhen(Retry.backoff(properties.retries(), properties.retryBackoff().isZero()
                        ? java.time.Duration.ofMillis(1) : properties.retryBackoff()))
                .doOnSuccess(ignored -> count("delivered"))
                .doOnError(e -> {
                    count("failed");
                    log.debug("Webhook {} given up: {}", id, e.toString());
                })
                .onErrorComplete()
                .doFinally(signal -> pending.decrementAndGet());
        count("sent");
        tracked.add(delivery.subscribe());
    }

    private Mono<Void> post(String id, byte[] body) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        return client.post().uri(properties.url())
                .contentType(MediaType.APPLICATION_JSON)
                .header("webhook-id", id)
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", "v1," + sign(id, timestamp, body))
                .bodyValue(body)
                .retrieve()
                .toBodilessEntity()
                .timeout(properties.timeout())
                .then();
    }

    private String sign(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The contract's event: type, timestamp (the change's instant), data (full record, or only the id). */
    static byte[] body(ForumChange change, boolean thin) {
        Map<String, @Nullable Object> event = new LinkedHashMap<>();
        event.put("type", change.eventType());
        event.put("timestamp", MILLIS.format(change.at()));
        event.put("data", thin || change.record() == null ? Map.of("id", change.id()) : change.record());
        return JSON.writeValueAsBytes(event);
    }

    private void count(String outcome) {
        Counter.builder("tributary.simulator.webhooks").tag("outcome", outcome)
                .description("Outgoing webhooks by outcome").register(meters).increment();
    }
}
