package io.tributary.writer.outbound;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.tributary.definition.RetryPolicy;
import io.tributary.definition.SecretRef;
import io.tributary.definition.Webhooks;
import io.tributary.model.outbound.LocalChange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Function;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One declared outbound webhook ({@code webhooks.outbound[i]}, decision 0028): a local change sent as a
 * <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> message, {@code {"type":
 * "<prefix>.<created|updated|deleted>", "timestamp": <when the database committed the change>, "data": ...}},
 * signed by the reference library. {@code webhook-id} is the change id, the same on every attempt and
 * redelivery (the receiver's idempotency key); {@code webhook-timestamp} and {@code webhook-signature} are made
 * anew for each attempt, so that a message retried after a long outage is not refused as stale.
 */
final class OutboundWebhook {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Webhooks.Outbound declared;
    private final Webhook signer;
    private final SourceClient client;
    private final InstantSource clock;

    OutboundWebhook(Webhooks.Outbound declared, RetryPolicy retry, Duration timeout, WebClient.Builder web,
            Function<SecretRef, String> credentials, InstantSource clock) {
        this.declared = declared;
        try {
            String secret = credentials.apply(declared.secret());
            if (!secret.startsWith(Webhook.SECRET_PREFIX)) {
                throw new IllegalArgumentException("no prefix");
            }
            this.signer = new Webhook(secret);
        } catch (IllegalArgumentException e) {
            // the message may quote the secret: name the reference only
            throw new IllegalStateException("The outbound webhook secret of entity '" + declared.entity() + "' ("
                    + declared.secret().reference() + ") is not a Standard Webhooks secret ('whsec_' followed by base64)");
        }
        this.client = new SourceClient(web, declared.auth(), retry, timeout, credentials);
        this.clock = clock;
    }

    Webhooks.Outbound declared() {
        return declared;
    }

    /** Sends {@code op} ({@code create}, {@code update}, {@code delete}) of {@code change} with {@code data}. */
    SourceClient.Answer send(String what, LocalChange change, String op, ObjectNode data) {
        byte[] body = body(declared.eventType(op), change, data);
        String payload = new String(body, StandardCharsets.UTF_8);
        return client.send(what, HttpMethod.valueOf(declared.method()), declared.url(), body, headers -> {
            long timestamp = clock.instant().getEpochSecond();
            headers.set("webhook-id", change.changeId());
            headers.set("webhook-timestamp", Long.toString(timestamp));
            headers.set("webhook-signature", sign(change.changeId(), timestamp, payload));
        });
    }

    static byte[] body(String type, LocalChange change, ObjectNode data) {
        ObjectNode event = JSON.createObjectNode();
        event.put("type", type);
        event.put("timestamp", change.changedAt().toString());
        event.set("data", data);
        return JSON.writeValueAsBytes(event);
    }

    private String sign(String id, long timestamp, String payload) {
        try {
            return signer.sign(id, timestamp, payload);
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("Signing an outbound webhook failed", e);
        }
    }
}
