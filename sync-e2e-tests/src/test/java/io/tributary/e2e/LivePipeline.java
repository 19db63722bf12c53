package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.admin.AdminApplication;
import io.tributary.poller.PollerApplication;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live-source stack of the end-to-end tests (decisions 0022, 0029): admin-service (reading the poller's and the
 * writer's status for a source's status), a writer and a poller that both follow the config topic (no static source,
 * no configured target entity: the writer creates the tables the definitions' targets describe), all on one broker; one organization created through the admin API, whose token
 * the test then uses. The organization's secret files go under {@code <dir>/secrets/<organization>/} (the admin
 * service's, the writer's and the poller's secrets directory, decision 0031).
 */
final class LivePipeline implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BOOTSTRAP_TOKEN = "bootstrap-token-for-the-live-pipeline-0123456789";

    private final AdminApiClient adminApi = new AdminApiClient();
    private final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private final String organization;
    private final Path database;
    private final ConfigurableApplicationContext poller;
    private final String adminUrl;
    private final String token;

    private LivePipeline(EmbeddedKafkaBroker broker, Path dir, String organization, List<String> writerExtra,
            List<String> pollerExtra) throws IOException, InterruptedException {
        this.organization = organization;
        this.database = dir.resolve("main.db");
        String bootstrap = broker.getBrokersAsString();
        // the writer's entities come from the definitions too (decision 0029): no tributary.writer.entities
        List<String> writerArgs = new ArrayList<>(List.of("--tributary.writer.consumer.fetch-max-wait=50ms",
                "--tributary.writer.config-topic.enabled=true", "--tributary.writer.config-topic.retry=200ms",
                "--tributary.writer.config-topic.secrets-directory=" + secretsDirectory(dir)));
        writerArgs.addAll(writerExtra);
        // the config topics as the admin service creates them, so that the writer and the poller can start first and
        // the admin service be told where they are (a source's status reads theirs)
        createConfigTopics(bootstrap);
        ConfigurableApplicationContext writer = PipelineServices.writer(bootstrap, database, writerArgs.toArray(String[]::new));
        services.add(writer);
        List<String> pollerArgs = new ArrayList<>(List.of("--server.port=0", "--spring.kafka.bootstrap-servers="
                + bootstrap, "--tributary.poller.config-topic.enabled=true",
                "--tributary.poller.config-topic.directory=" + dir.resolve("live"),
                "--tributary.poller.config-topic.secrets-directory=" + secretsDirectory(dir)));
        pollerArgs.addAll(pollerExtra);
        this.poller = PollerApplication.builder().run(pollerArgs.toArray(String[]::new));
        services.add(poller);
        ConfigurableApplicationContext admin = AdminApplication.builder().run("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + bootstrap, "--tributary.admin.bootstrap-token=" + BOOTSTRAP_TOKEN,
                "--tributary.admin.secrets-directory=" + secretsDirectory(dir),
                "--tributary.admin.poller.url=http://127.0.0.1:" + PipelineServices.port(poller),
                "--tributary.admin.writer.url=http://127.0.0.1:" + PipelineServices.port(writer));
        services.add(admin);
        this.adminUrl = "http://127.0.0.1:" + PipelineServices.port(admin);
        HttpResponse<String> created = adminApi.call("POST", adminUrl + "/organizations", BOOTSTRAP_TOKEN,
                "{\"id\":\"" + organization + "\"}", "application/json");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        this.token = JSON.readTree(created.body()).get("token").asString();
    }

    /** Both config topics, compacted, one partition each, as {@code ConfigStore} creates them. */
    private static void createConfigTopics(String bootstrap) throws InterruptedException {
        try (Admin kafka = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            kafka.createTopics(Stream.of("tributary.config.organizations", "tributary.config.sources")
                    .map(name -> new NewTopic(name, 1, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))
                    .toList()).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Failed to create the config topics", e);
        }
    }

    /** Starts the stack; the writer learns its tables from the definitions the test stores. */
    static LivePipeline start(EmbeddedKafkaBroker broker, Path dir, String organization)
            throws IOException, InterruptedException {
        return new LivePipeline(broker, dir, organization, List.of(), List.of());
    }

    /** As {@link #start(EmbeddedKafkaBroker, Path, String)}, with more arguments for the writer and the poller. */
    static LivePipeline start(EmbeddedKafkaBroker broker, Path dir, String organization, List<String> writerExtra,
            List<String> pollerExtra) throws IOException, InterruptedException {
        return new LivePipeline(broker, dir, organization, writerExtra, pollerExtra);
    }

    /** The services' secrets directory for a stack in {@code dir}: an organization's files are in its subdirectory. */
    static Path secretsDirectory(Path dir) {
        return dir.resolve("secrets").toAbsolutePath();
    }

    /** The admin API URL of the organization's source {@code id}. */
    String source(String id) {
        return adminUrl + "/organizations/" + organization + "/sources/" + id;
    }

    /** Calls the admin API with the organization's token. */
    HttpResponse<String> call(String method, String url, @Nullable String body, @Nullable String type)
            throws IOException, InterruptedException {
        return adminApi.call(method, url, token, body, type);
    }

    /** Creates or replaces source {@code id} with a YAML definition. */
    HttpResponse<String> put(String id, String yaml) throws IOException, InterruptedException {
        return call("PUT", source(id), yaml, "application/yaml");
    }

    Path database() {
        return database;
    }

    ConfigurableApplicationContext poller() {
        return poller;
    }

    String pollerUrl() {
        return "http://127.0.0.1:" + PipelineServices.port(poller);
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
    }
}
