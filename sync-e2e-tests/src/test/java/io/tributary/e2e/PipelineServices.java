package io.tributary.e2e;

import io.tributary.poller.PollerApplication;
import io.tributary.writer.WriterApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Starts the pipeline's services for the end-to-end tests, each in its own application context on a random
 * port. Settings are command-line arguments: they outrank each service's own yml file. Extra arguments
 * are appended (a later value of the same property wins).
 */
final class PipelineServices {

    private PipelineServices() {
    }

    /** A writer on a SQLite main DB. */
    static ConfigurableApplicationContext writer(String bootstrap, Path mainDb, String... extra) {
        return WriterApplication.builder().run(writerArgs(bootstrap, mainDb, extra));
    }

    /** A poller with one forum-rest source reading the simulator behind {@code simulator}. */
    static ConfigurableApplicationContext poller(String bootstrap, String sourceId,
            ConfigurableApplicationContext simulator, String... extra) {
        return PollerApplication.builder().run(pollerArgs(bootstrap, sourceId, port(simulator), extra));
    }

    /** The writer's arguments, also for a writer in a child JVM ({@link ChildJvms}). */
    static String[] writerArgs(String bootstrap, Path mainDb, String... extra) {
        return args(extra,
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--tributary.writer.database.path=" + mainDb);
    }

    /** The poller's arguments, also for a poller in a child JVM ({@link ChildJvms}). */
    static String[] pollerArgs(String bootstrap, String sourceId, int simulatorPort, String... extra) {
        return args(extra,
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--tributary.poller.sources[0].id=" + sourceId,
                "--tributary.poller.sources[0].kind=forum-rest",
                "--tributary.poller.sources[0].base-url=http://127.0.0.1:" + simulatorPort);
    }

    /** Closes the services in the order given (null = never started), then the broker. */
    static void stop(@Nullable EmbeddedKafkaKraftBroker kafka, @Nullable ConfigurableApplicationContext... services) {
        for (ConfigurableApplicationContext service : services) {
            if (service != null) {
                service.close();
            }
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static String[] args(String[] extra, String... base) {
        List<String> all = new ArrayList<>(Arrays.asList(base));
        all.addAll(Arrays.asList(extra));
        return lastWins(all);
    }

    /**
     * {@code args} with each {@code --name=value} given once, at its last value: Spring Boot would otherwise join
     * the values of a repeated option with commas ({@code path=a.db,b.db}) rather than let the later one win.
     */
    static String[] lastWins(List<String> args) {
        java.util.Map<String, String> byName = new java.util.LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            byName.remove(name); // re-inserted last: the order of first appearance does not matter to Spring
            byName.put(name, arg);
        }
        return byName.values().toArray(String[]::new);
    }
}
