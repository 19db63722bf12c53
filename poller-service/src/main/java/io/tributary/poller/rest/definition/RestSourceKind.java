package io.tributary.poller.rest.definition;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import io.tributary.definition.Auth;
import io.tributary.definition.DefinitionProblem;
import io.tributary.definition.EntitySource;
import io.tributary.definition.InvalidDefinitionException;
import io.tributary.definition.Schedule;
import io.tributary.definition.SecretScope;
import io.tributary.definition.SourceDefinition;
import io.tributary.definition.SourceDefinitionLoader;
import io.tributary.mapping.declarative.DeclarativeNormalizer;
import io.tributary.model.Origin;
import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import io.tributary.poller.rest.pagination.strategy.PageReader;
import io.tributary.poller.rest.pagination.strategy.PaginationResolver;
import io.tributary.poller.runtime.PassSchedule;
import io.tributary.poller.runtime.PollerProperties;
import io.tributary.poller.runtime.RecordRefresher;
import io.tributary.poller.runtime.SourceInventory;
import io.tributary.poller.runtime.SourceKind;
import io.tributary.poller.status.SourceActivity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@code rest} source kind: any REST API described by a source definition file
 * ({@code tributary.poller.sources[i].definition}). The definition is loaded and validated when the poller
 * starts (an invalid one stops the start with every problem and its JSON path); the configured source id must
 * be the definition's {@code id} (it keys events and checkpoints, so it is written where operators look).
 * Entities are the definition's unless {@code entities} names some of them; the pause between passes is the
 * definition's {@code schedule}: its {@code interval}, or its {@code cron} expression in its zone.
 * Credentials are resolved once per source at start; the WebClient, its auth filter (OAuth2 token cache
 * included) and the rate limit are shared by the source's entities, its refresher (one record by
 * {@code itemPath}) and its inventory (an unfiltered walk, for verify and reconciliation).
 */
@Component
final class RestSourceKind implements SourceKind<RestSourceProperties> {

    static final String NAME = "rest";

    private static final Logger LOG = LoggerFactory.getLogger(RestSourceKind.class);

    private final MeterRegistry registry;
    private final ReactorResourceFactory resources;
    private final DeadLetters deadLetters;
    private final SourceActivity activity;
    private final SourceDefinitionLoader loader = new SourceDefinitionLoader();
    private final UnaryOperator<@Nullable String> environment = System::getenv;
    private final Map<Path, SourceDefinition> definitions = new ConcurrentHashMap<>();
    // Keyed by the whole definition (records compare by value) and its secret scope: a definition changed on the
    // config topic (decision 0022) gets its own client, auth and rate limit instead of the previous version's.
    private final Map<Scoped, SourceClient> clients = new ConcurrentHashMap<>();

    private record Scoped(SourceDefinition definition, SecretScope scope) {
    }

    RestSourceKind(MeterRegistry registry, ReactorResourceFactory resources, KafkaTemplate<String, String> checkpointTemplate,
            PollerProperties poller, SourceActivity activity) {
        this.registry = registry;
        this.resources = resources;
        this.activity = activity;
        this.deadLetters = new DeadLetters(checkpointTemplate, poller.publishTimeout());
    }

    /**
     * What one source's entities share: the authenticating client and the rate limit; and each entity's credential
     * query parameters, resolved with the auth's credentials (within the same scope), and the names that carry one.
     */
    private record SourceClient(WebClient webClient, @Nullable TokenBucket rateLimit,
            Map<String, Map<String, String>> secretQueries, Set<String> hidden) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<RestSourceProperties> propertiesType() {
        return RestSourceProperties.class;
    }

    @Override
    public List<String> entities(String sourceId, RestSourceProperties properties, List<String> configured) {
        SourceDefinition definition = definition(sourceId, properties);
        List<String> declared = definition.entities().stream().map(EntitySource::name).toList();
        if (configured.isEmpty()) {
            return declared;
        }
        for (String entity : configured) {
            if (!declared.contains(entity)) {
                throw new IllegalArgumentException("Source " + sourceId + ": entity '" + entity + "' is not declared in "
                        + properties.definition() + " (it declares " + declared + ")");
            }
        }
        return configured;
    }

    /** The definition's {@code schedule}: every {@code interval}, or when {@code cron} fires in {@code zone}. */
    @Override
    public PassSchedule schedule(String sourceId, RestSourceProperties properties, Duration configured) {
        Schedule schedule = definition(sourceId, properties).schedule();
        return schedule.cron() != null ? PassSchedule.cron(schedule.cron(), schedule.zone())
                : PassSchedule.every(java.util.Objects.requireNonNull(schedule.interval()));
    }

    @Override
    public SourceTask createTask(SourcePartition partition, RestSourceProperties properties) {
        SourceDefinition definition = definition(partition.sourceId(), properties);
        EntitySource entity = definition.entity(partition.entity()).orElseThrow(() -> new IllegalArgumentException(
                "Source " + partition.sourceId() + " declares no entity '" + partition.entity() + "'"));
        RestPageClient pages = pageClient(definition, entity, properties);
        Counter rejected = Counter.builder("tributary.poller.records.rejected")
                .tags("source", partition.sourceId(), "entity", partition.entity())
                .description("Records that could not be mapped and were dead-lettered")
                .register(registry);
        return new RestDefinitionTask(partition, PaginationResolver.resolve(entity.pagination()),
                PageReader.of(entity.records()), pages::fetch,
                new DeclarativeNormalizer(partition.sourceId(), partition.entity(), Origin.POLL, InstantSource.system(),
                        entity.mapping()),
                entity.incremental() == null ? null : IncrementalFilter.of(entity.incremental(), entity.mapping().version()),
                properties.maxPages(), deadLetters, new RejectedRecords(partition, rejected, activity));
    }

    /** Refresh requests and reconciliation repairs: one record read by the entity's {@code itemPath}. */
    @Override
    public Optional<RecordRefresher> refresher(String sourceId, RestSourceProperties properties) {
        SourceDefinition definition = definition(sourceId, properties);
        return Optional.of(new RestRecordRefresher(definition,
                entity -> pageClient(definition, definition.entity(entity).orElseThrow(), properties), InstantSource.system()));
    }

    /** Verify and reconciliation: an unfiltered walk of each entity's listing. */
    @Override
    public Optional<SourceInventory> inventory(String sourceId, RestSourceProperties properties) {
        SourceDefinition definition = definition(sourceId, properties);
        return Optional.of(new RestInventory(definition,
                entity -> pageClient(definition, definition.entity(entity).orElseThrow(), properties), properties.maxPages()));
    }

    private RestPageClient pageClient(SourceDefinition definition, EntitySource entity, RestSourceProperties properties) {
        SourceClient client = clients.computeIfAbsent(new Scoped(definition, properties.secretScope(definition.organization())),
                scoped -> client(scoped.definition(), scoped.scope(), properties));
        return new RestPageClient(new SourcePartition(definition.id(), entity.name()),
                java.util.Objects.requireNonNull(definition.baseUrl()), java.util.Objects.requireNonNull(entity.endpoint()),
                client.secretQueries().getOrDefault(entity.name(), Map.of()), client.hidden(),
                definition.retry(), client.rateLimit(), client.webClient(), properties.responseTimeout(), registry);
    }

    /**
     * Loaded and validated once per file; the id must match. A definition held to its organization's secrets (a live
     * source, decision 0031) is refused, every reference outside them named with its JSON path, before anything runs.
     */
    SourceDefinition definition(String sourceId, RestSourceProperties properties) {
        Path file = java.util.Objects.requireNonNull(properties.definition()).toAbsolutePath().normalize();
        SourceDefinition definition = definitions.computeIfAbsent(file, path -> {
            SourceDefinition loaded = loader.load(path);
            // a definition holds only references to credentials: safe to log as it is
            LOG.info("Loaded source definition {}: organization {}, source {}, entities {}, auth {}, rate limit {}, retry {}",
                    path, loaded.organization(), loaded.id(), loaded.entities().stream().map(EntitySource::name).toList(),
                    loaded.auth(), loaded.rateLimit(), loaded.retry());
            return loaded;
        });
        if (!definition.id().equals(sourceId)) {
            throw new IllegalArgumentException("tributary.poller.sources[].id '" + sourceId + "' must be the id of its "
                    + "definition " + file + " ('" + definition.id() + "'): the id keys its events and checkpoints");
        }
        if (definition.kind() != SourceDefinition.Kind.REST) {
            throw new IllegalArgumentException("Source " + sourceId + ": definition " + file + " is of kind "
                    + definition.kind() + ", not rest");
        }
        List<DefinitionProblem> outside = properties.secretScope(definition.organization()).problems(definition);
        if (!outside.isEmpty()) {
            throw new InvalidDefinitionException(file.toString(), outside);
        }
        return definition;
    }

    private SourceClient client(SourceDefinition definition, SecretScope scope, RestSourceProperties properties) {
        WebClient plain = webClient(properties).build();
        WebClient authenticated = webClient(properties)
                .filter(SourceAuth.filterResolving(definition.auth(), ref -> scope.resolve(ref, environment), plain,
                        InstantSource.system()))
                .build();
        TokenBucket bucket = definition.rateLimit() == null ? null : new TokenBucket(definition.rateLimit(), System::nanoTime);
        Map<String, Map<String, String>> secretQueries = new java.util.HashMap<>();
        for (EntitySource entity : definition.entities()) {
            if (entity.endpoint() != null && !entity.endpoint().secretQuery().isEmpty()) {
                Map<String, String> resolved = new java.util.LinkedHashMap<>();
                // IllegalStateException naming the reference, never a value, when it is outside the scope or unset
                entity.endpoint().secretQuery().forEach((name, ref) -> resolved.put(name, scope.resolve(ref, environment)));
                secretQueries.put(entity.name(), java.util.Collections.unmodifiableMap(resolved));
            }
        }
        Set<String> hidden = definition.auth() instanceof Auth.ApiKey key && key.in() == Auth.Location.QUERY
                ? Set.of(key.name()) : Set.of();
        return new SourceClient(authenticated, bucket, Map.copyOf(secretQueries), hidden);
    }

    /** A client on the application's own Reactor Netty resources (see {@code PollerConfiguration}). */
    private WebClient.Builder webClient(RestSourceProperties properties) {
        int connectTimeout = (int) Math.min(properties.responseTimeout().toMillis(), 30_000);
        return WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(resources, http -> http
                        .responseTimeout(properties.responseTimeout())
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout)))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize((int) properties.maxPageSize().toBytes()));
    }
}
