package io.tributary.poller.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import io.tributary.mapping.ForumRecordNormalizer;
import io.tributary.model.Origin;
import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import io.tributary.poller.rest.pagination.ListingWalker;
import io.tributary.poller.runtime.RecordRefresher;
import io.tributary.poller.runtime.SourceInventory;
import io.tributary.poller.runtime.SourceKind;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;

/** The {@code forum-rest} source kind: a server honouring the external forum API contract. */
@Component
final class ForumRestSourceKind implements SourceKind<ForumRestProperties> {

    static final String NAME = "forum-rest";

    private final MeterRegistry registry;
    private final ReactorResourceFactory resources;

    ForumRestSourceKind(MeterRegistry registry, ReactorResourceFactory resources) {
        this.registry = registry;
        this.resources = resources;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<ForumRestProperties> propertiesType() {
        return ForumRestProperties.class;
    }

    /** The contract's four collections, parents first, unless configured. */
    @Override
    public List<String> entities(String sourceId, ForumRestProperties properties, List<String> configured) {
        return configured.isEmpty() ? List.of("users", "sections", "topics", "messages") : configured;
    }

    @Override
    public SourceTask createTask(SourcePartition partition, ForumRestProperties properties) {
        ForumListingClient client = new ForumListingClient(partition, properties, webClient(properties, resources), registry);
        Counter rejected = Counter.builder("tributary.poller.records.rejected")
                .tags("source", partition.sourceId(), "entity", partition.entity())
                .description("Records that could not be normalized and were skipped")
                .register(registry);
        return new ForumRestTask(partition, client,
                () -> new ListingWalker<>(client, properties.perPage(), properties.rescanWindow(), InstantSource.system(),
                        properties.rescanCapacity()),
                properties.initialWalk(), properties.perPage(), InstantSource.system(),
                new ForumRecordNormalizer(partition.sourceId(), partition.entity(), Origin.POLL, InstantSource.system()),
                rejected);
    }

    @Override
    public Optional<RecordRefresher> refresher(String sourceId, ForumRestProperties properties) {
        return Optional.of(new ForumRecordRefresher(sourceId,
                entity -> new ForumListingClient(new SourcePartition(sourceId, entity), properties,
                        webClient(properties, resources), registry)));
    }

    @Override
    public Optional<SourceInventory> inventory(String sourceId, ForumRestProperties properties) {
        return Optional.of(new ForumInventory(sourceId, properties.perPage(),
                entity -> new ForumListingClient(new SourcePartition(sourceId, entity), properties,
                        webClient(properties, resources), registry)));
    }

    /** A client on the application's own Reactor Netty resources (see {@code PollerConfiguration}). */
    static WebClient webClient(ForumRestProperties properties, ReactorResourceFactory resources) {
        int connectTimeout = (int) Math.min(properties.responseTimeout().toMillis(), 30_000);
        return WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(resources, http -> http
                        .responseTimeout(properties.responseTimeout())
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout)))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize((int) properties.maxPageSize().toBytes()))
                .build();
    }
}
