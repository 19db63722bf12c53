package io.tributary.ingest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

@SpringBootApplication
public class WebhookIngestApplication {

    public static void main(String[] args) {
        builder().run(args);
    }

    /** The application with its own configuration file, {@code webhook-ingest.yml}. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(WebhookIngestApplication.class)
                .properties("spring.config.name=webhook-ingest", "server.port=8083");
    }
}
