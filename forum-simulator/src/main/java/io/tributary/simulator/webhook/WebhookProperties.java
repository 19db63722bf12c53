package io.tributary.simulator.webhook;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Outgoing webhooks, {@code forum-simulator.webhooks.*}. Off while {@code url} is empty. The secret never
 * appears in {@link #toString()}.
 *
 * @param url                  the receiver, e.g. {@code http://127.0.0.1:8083/webhooks/forum-sim}; empty = off
 * @param secret               {@code whsec_} + base64 of the key bytes (required when {@code url} is set)
 * @param deliveryProbability  share of changes that are sent at all (the rest are lost)
 * @param duplicateProbability share of sent events that are delivered a second time (same {@code webhook-id})
 * @param maxDelay             each delivery waits a random delay up to this long (hence reordering)
 * @param thinProbability      share of created/updated events sent thin ({@code data = {"id": ...}})
 * @param retries              further attempts after a non-2xx answer or no answer
 * @param retryBackoff         first pause before a retry; doubles each time
 * @param timeout              how long one attempt waits for the answer (the contract says 10 s)
 * @param queueCapacity        deliveries waiting or in flight; beyond it new ones are dropped and counted
 */
@Validated
@ConfigurationProperties("forum-simulator.webhooks")
record WebhookProperties(
        @DefaultValue("") String url,
        @DefaultValue("") String secret,
        @DefaultValue("1.0") @DecimalMin("0") @DecimalMax("1") double deliveryProbability,
        @DefaultValue("0") @DecimalMin("0") @DecimalMax("1") double duplicateProbability,
        @DefaultValue("0ms") Duration maxDelay,
        @DefaultValue("0") @DecimalMin("0") @DecimalMax("1") double thinProbability,
        @DefaultValue("3") @Min(0) @Max(20) int retries,
        @DefaultValue("200ms") Duration retryBackoff,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("10000") @Min(1) int queueCapacity) {

    WebhookProperties {
        if (!url.isBlank()) {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("forum-simulator.webhooks.url must be an absolute http(s) URL, was " + url);
            }
            if (!secret.startsWith("whsec_")) {
                throw new IllegalArgumentException("forum-simulator.webhooks.secret must be 'whsec_' + base64 of the key"
                        + " when forum-simulator.webhooks.url is set");
            }
            try {
                Base64.getDecoder().decode(secret.substring("whsec_".length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("forum-simulator.webhooks.secret: the part after 'whsec_' is not base64");
            }
        }
        if (maxDelay.isNegative() || retryBackoff.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("forum-simulator.webhooks.max-delay and .retry-backoff must not be negative,"
                    + " .timeout must be positive; were " + maxDelay + ", " + retryBackoff + ", " + timeout);
        }
    }

    boolean enabled() {
        return !url.isBlank();
    }

    byte[] key() {
        return Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    @Override
    public String toString() {
        return enabled() ? "WebhookProperties[url=" + url + ", secret=(masked), delivery=" + deliveryProbability
                + ", duplicates=" + duplicateProbability + ", max-delay=" + maxDelay + ", thin=" + thinProbability
                + ", retries=" + retries + " from " + retryBackoff + ", timeout=" + timeout + ", queue="
                + queueCapacity + "]" : "WebhookProperties[off]";
    }
}
