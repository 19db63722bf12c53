package io.tributary.ingest.receive;

import io.tributary.ingest.signature.SignatureRejectedException;
import io.tributary.ingest.signature.VerifiedDelivery;
import io.tributary.model.ChangeEvent;
import io.tributary.model.ChangeTopics;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /webhooks/{sourceId}}, in this order: the source must be configured or defined (404), and not
 * paused (503 with {@code Retry-After}); the body is read
 * raw, bounded by {@code max-body-size} (413, from {@code Content-Length} before reading, or as soon as the
 * limit is passed); the signature is verified over those bytes (401); a delivery id already published is
 * acknowledged {@code 200 {"status":"duplicate"}} without publishing; the body is mapped (400; a record of a known
 * entity that cannot be mapped is dead-lettered first, as the poller's are); the result is
 * published and {@code 200 {"status":"accepted"}} is answered only once Kafka acknowledged it (else 503
 * with {@code Retry-After}). Every refusal is RFC 9457 {@code application/problem+json} whose {@code type}
 * names the problem ({@code urn:tributary:problem:signature-invalid}); none echoes a secret or signature.
 */
final class WebhookHandler {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);
    static final String PROBLEM_TYPE_PREFIX = "urn:tributary:problem:";

    private final ReceivingSources sources;
    private final int maxBodyBytes;
    private final Duration retryAfter;
    private final WebhookEventMapper mapper;
    private final DeliveryDedup dedup;
    private final IngestPublisher publisher;
    private final IngestMetrics metrics;
    private final InstantSource clock;

    WebhookHandler(ReceivingSources sources, IngestProperties properties, WebhookEventMapper mapper,
            DeliveryDedup dedup, IngestPublisher publisher, IngestMetrics metrics, InstantSource clock) {
        this.sources = sources;
        this.maxBodyBytes = (int) properties.maxBodySize().toBytes();
        this.retryAfter = properties.retryAfter();
        this.mapper = mapper;
        this.dedup = dedup;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    Mono<ServerResponse> receive(ServerRequest request) {
        long started = System.nanoTime();
        String sourceId = request.pathVariable("sourceId");
        ConfiguredSource source = sources.find(sourceId).orElse(null);
        if (source == null) {
            String named = ChangeEvent.SOURCE_ID_PATTERN.matcher(sourceId).matches() ? " '" + sourceId + "'" : "";
            return reject(IngestMetrics.UNKNOWN_SOURCE, HttpStatus.NOT_FOUND, "unknown-source", "Unknown webhook source",
                    "No webhook source" + named + " is configured here");
        }
        if (source.paused()) {
            metrics.rejected(source.id(), "source-paused");
            return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())))
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .bodyValue(problem(HttpStatus.SERVICE_UNAVAILABLE, "source-paused", "Source paused",
                            "Source '" + source.id() + "' is paused; nothing was accepted. Retry after it is resumed."));
        }
        OptionalLong length = request.headers().contentLength();
        if (length.isPresent() && length.getAsLong() > maxBodyBytes) {
            return tooLarge(source);
        }
        return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), maxBodyBytes)
                .map(WebhookHandler::bytes)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> handle(source, request.headers().asHttpHeaders(), body, started))
                .onErrorResume(DataBufferLimitException.class, e -> tooLarge(source));
    }

    private Mono<ServerResponse> handle(ConfiguredSource source, HttpHeaders headers, byte[] body, long started) {
        VerifiedDelivery delivery;
        try {
            delivery = source.verifier().verify(headers, body, clock.instant());
        } catch (SignatureRejectedException e) {
            return reject(source.id(), HttpStatus.UNAUTHORIZED, e.reason().slug(), "Webhook signature rejected",
                    e.getMessage());
        }
        String deliveryId = delivery.deliveryId();
        if (deliveryId != null && dedup.alreadyPublished(source.id(), deliveryId)) {
            metrics.duplicate(source.id());
            LogContext.of(source.id()).log(() ->
                    LOG.debug("Duplicate delivery from {} acknowledged without publishing", source.id()));
            return status("duplicate");
        }
        Publication publication;
        try {
            publication = mapper.map(source, body);
        } catch (WebhookRejectedException e) {
            WebhookRejectedException.Unmappable unmappable = e.unmappable();
            if (unmappable == null) {
                return reject(source.id(), HttpStatus.BAD_REQUEST, e.reason(), "Webhook content rejected", e.getMessage());
            }
            return deadLetter(source, unmappable, body, deliveryId, e);
        }
        LogContext context = LogContext.of(source.id(), publication);
        return publisher.publish(publication)
                .then(Mono.fromRunnable(() -> {
                    if (deliveryId != null) {
                        dedup.markPublished(source.id(), deliveryId);
                    }
                    context.log(() -> {
                        LOG.debug("Accepted a {} of {} from {}", publication.kind(), publication.entity(), source.id());
                        metrics.accepted(source.id(), publication.kind(), started);
                    });
                }))
                .then(status("accepted"))
                .onErrorResume(e -> e instanceof RuntimeException || e instanceof java.util.concurrent.TimeoutException,
                        e -> unavailable(source, publication, e));
    }

    /**
     * A verified record that cannot be mapped: its raw body goes to the entity's dead-letter topic, as the poller's
     * unmappable records do, and only once Kafka has it the sender gets 400 naming the field and the reason, so it
     * learns; its retries (same delivery id) are answered 400 again without a second dead letter, and a retry after the
     * definition was fixed is mapped as any delivery. No dead letter stored → 503, so nothing is lost (decision 0031).
     */
    private Mono<ServerResponse> deadLetter(ConfiguredSource source, WebhookRejectedException.Unmappable unmappable,
            byte[] body, @Nullable String deliveryId, WebhookRejectedException e) {
        String detail = e.getMessage() + " (kept on " + ChangeTopics.deadLetterOf(ChangeTopics.forEntity(unmappable.entity())) + ")";
        if (deliveryId != null && dedup.alreadyDeadLettered(source.id(), deliveryId)) {
            return reject(source.id(), HttpStatus.BAD_REQUEST, e.reason(), "Webhook content rejected", detail);
        }
        return publisher.send(WebhookDeadLetters.of(source.id(), unmappable, body, deliveryId))
                .then(Mono.fromRunnable(() -> {
                    if (deliveryId != null) {
                        dedup.markDeadLettered(source.id(), deliveryId);
                    }
                    metrics.deadLettered(source.id(), unmappable.entity());
                }))
                .then(Mono.defer(() -> reject(source.id(), HttpStatus.BAD_REQUEST, e.reason(), "Webhook content rejected",
                        detail)))
                .onErrorResume(failure -> failure instanceof RuntimeException || failure instanceof java.util.concurrent.TimeoutException,
                        failure -> {
                            metrics.rejected(source.id(), "kafka-unavailable");
                            LogContext.of(source.id()).log(() -> LOG.warn("Webhook from {}: its unmappable {} record could "
                                    + "not be dead-lettered, answered 503: {}", source.id(), unmappable.entity(), failure.toString()));
                            return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                                    .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())))
                                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                                    .bodyValue(problem(HttpStatus.SERVICE_UNAVAILABLE, "kafka-unavailable",
                                            "Event store unavailable", "The unmappable record could not be kept; retry later."));
                        });
    }

    private Mono<ServerResponse> unavailable(ConfiguredSource source, Publication publication, Throwable e) {
        metrics.rejected(source.id(), "kafka-unavailable");
        LogContext.of(source.id(), publication).log(() -> LOG.warn(
                "Webhook from {} ({} of {}) answered 503: Kafka did not acknowledge it: {}", source.id(),
                publication.kind(), publication.entity(), e.toString()));
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "kafka-unavailable", "Event store unavailable",
                "The event could not be stored durably; nothing was accepted. Retry later.");
        return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem);
    }

    private Mono<ServerResponse> tooLarge(ConfiguredSource source) {
        return reject(source.id(), HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Webhook body too large",
                "The body is larger than the limit of " + maxBodyBytes + " bytes");
    }

    private Mono<ServerResponse> reject(String source, HttpStatus status, String reason, String title, String detail) {
        metrics.rejected(source, reason);
        LogContext.of(source).log(() ->
                LOG.warn("Webhook for source {} rejected with {} ({}): {}", source, status.value(), reason, detail));
        return ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem(status, reason, title, detail));
    }

    static ProblemDetail problem(HttpStatus status, String reason, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(PROBLEM_TYPE_PREFIX + reason));
        problem.setTitle(title);
        return problem;
    }

    /** The two answers of a 200, encoded once: a JSON encoder per response showed in the receiver's profile. */
    private static final byte[] ACCEPTED = "{\"status\":\"accepted\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] DUPLICATE = "{\"status\":\"duplicate\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static Mono<ServerResponse> status(String status) {
        byte[] body = switch (status) {
            case "accepted" -> ACCEPTED;
            case "duplicate" -> DUPLICATE;
            default -> throw new IllegalArgumentException("no such answer: " + status);
        };
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
