package io.tributary.writer;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The writer service, the only writer of the main database: consumes change events from the per-entity
 * topics and applies them, version-guarded and idempotent (one instance on SQLite, any number in one
 * consumer group on PostgreSQL). Configuration: {@code writer.yml}.
 */
@SpringBootApplication
public class WriterApplication {

    /** The configuration file's name ({@code writer.yml}). */
    public static final String CONFIG_NAME = "writer";

    /** The HTTP port (actuator) unless {@code server.port} says otherwise. */
    public static final int DEFAULT_PORT = 8084;

    /**
     * A builder for the application with its configuration name and default port set. Tests add
     * properties ({@code builder().properties("server.port=0", ...).run()}); those are Spring default
     * properties, so {@code writer.yml} deliberately sets none of the values a test may override.
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(WriterApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME, "server.port=" + DEFAULT_PORT);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
