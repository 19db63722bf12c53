package io.tributary.simulator;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A simulated external forum: it serves the external forum API contract
 * ({@code /api/{collection}}) from its own SQLite file, seeds it deterministically, mutates it on demand
 * or at a steady rate, and injects the failures the contract promises (429, 5xx, slow answers).
 *
 * <p>It shares no type with Tributary: it stands for a system we do not control.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ForumSimulatorApplication {

    /** The configuration file name ({@code forum-simulator.yml}); never {@code application.yml}. */
    public static final String CONFIG_NAME = "forum-simulator";

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * The application builder. Properties given through {@link SpringApplicationBuilder#properties} are
     * default properties: they override nothing set in {@code forum-simulator.yml}, which therefore sets
     * no {@code forum-simulator.*} value nor {@code server.port} (their defaults live here and in the
     * properties records), so that tests can override them, e.g.
     * {@code ForumSimulatorApplication.builder().properties("server.port=0", "forum-simulator.database=/tmp/x.db").run()}.
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ForumSimulatorApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME, "server.port=8081");
    }
}
