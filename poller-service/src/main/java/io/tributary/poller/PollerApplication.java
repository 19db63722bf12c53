package io.tributary.poller;

import io.tributary.poller.runtime.NativeLz4;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The poller service. Configuration: {@code poller.yml} ({@code spring.config.name=poller}). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PollerApplication {

    /** The configuration file name ({@code poller.yml}); never {@code application.yml}. */
    public static final String CONFIG_NAME = "poller";

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * The application builder. Properties given through {@link SpringApplicationBuilder#properties} are
     * default properties: they override nothing set in {@code poller.yml}, which therefore sets neither
     * {@code server.port} (8082 by default, set here), {@code spring.kafka.bootstrap-servers} nor any
     * {@code tributary.poller.*} value, so that tests and other JVM-mates can, e.g.
     * {@code PollerApplication.builder().properties("server.port=0", "spring.kafka.bootstrap-servers=...").run()}.
     */
    public static SpringApplicationBuilder builder() {
        NativeLz4.load(); // before any Kafka client compresses: Kafka asks lz4-java for its implementation then
        return new SpringApplicationBuilder(PollerApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME, "server.port=8082");
    }
}
