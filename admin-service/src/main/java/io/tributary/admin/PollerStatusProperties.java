package io.tributary.admin;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.admin.poller}: where a source's live status comes from.
 *
 * @param url     the poller's base URL (its {@code GET /status}); unset = the status endpoint answers 503
 *                {@code poller-not-configured}
 * @param timeout bound of one status request
 */
@ConfigurationProperties("tributary.admin.poller")
record PollerStatusProperties(@Nullable URI url, @DefaultValue("5s") Duration timeout) {

    PollerStatusProperties {
        if (url != null && (url.getScheme() == null || url.getHost() == null)) {
            throw new IllegalArgumentException("tributary.admin.poller.url must be an absolute http(s) URL, was " + url);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tributary.admin.poller.timeout must be positive, was " + timeout);
        }
    }
}
