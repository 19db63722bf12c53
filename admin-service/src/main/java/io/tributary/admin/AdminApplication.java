package io.tributary.admin;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The admin API: organizations, their API tokens and their source definitions, stored in compacted Kafka
 * config topics (docs/decisions/0020). Configuration: {@code admin.yml} ({@code spring.config.name=admin}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AdminApplication {

    /** The configuration file name ({@code admin.yml}). */
    public static final String CONFIG_NAME = "admin";

    public static void main(String[] args) {
        builder().run(args);
    }

    /** Builder properties are defaults; tests pass {@code --x=y} arguments to {@code run}. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(AdminApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME, "server.port=8085");
    }
}
