package io.tributary.admin;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tributary.admin.writer}: where a source's {@code writer} status comes from.
 *
 * @param url     a writer's base URL (its {@code GET /status/sources}); unset = the source status says the writer is
 *                not configured, beside the poller's figures
 * @param timeout bound of one status request; past it the source status says the writer is unreachable
 */
@ConfigurationProperties("tributary.admin.writer")
record WriterStatusProperties(@Nullable URI url, @DefaultValue("2s") Duration timeout) {

    WriterStatusProperties {
        if (url != null && (url.getScheme() == null || url.getHost() == null)) {
            throw new IllegalArgumentException("tributary.admin.writer.url must be an absolute http(s) URL, was " + url);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tributary.admin.writer.timeout must be positive, was " + timeout);
        }
    }
}
