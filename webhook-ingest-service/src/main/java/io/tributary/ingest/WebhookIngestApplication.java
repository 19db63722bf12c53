package io.tributary.ingest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The webhook receiver: {@code POST /webhooks/{sourceId}}, verified, deduplicated, published to Kafka
 * before it answers 2xx. Configuration: {@code webhook-ingest.yml} ({@code spring.config.name=webhook-ingest}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WebhookIngestApplication {

    /** The configuration file name ({@code webhook-ingest.yml}); never {@code application.yml}. */
    public static final String CONFIG_NAME = "webhook-ingest";

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * The application builder. Properties given through {@link SpringApplicationBuilder#properties} are
     * default properties, outranked by {@code webhook-ingest.yml}, which therefore sets neither
     * {@code server.port} (8083, set here), {@code spring.kafka.bootstrap-servers} nor any
     * {@code tributary.ingest.*} value. Tests pass settings as arguments:
     * {@code WebhookIngestApplication.builder().run("--server.port=0", "--tributary.ingest.sources[0].id=...")}.
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(WebhookIngestApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME, "server.port=8083");
    }
}
