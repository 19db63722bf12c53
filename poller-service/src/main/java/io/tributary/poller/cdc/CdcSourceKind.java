package io.tributary.poller.cdc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.model.spi.SourcePartition;
import io.tributary.model.spi.SourceTask;
import io.tributary.poller.runtime.SourceKind;
import java.time.InstantSource;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The {@code cdc} source kind: an external PostgreSQL database's changes through Debezium's embedded engine
 * (pgoutput), one engine per entity. It cannot answer for a single record, so it serves no refresh requests.
 */
@Component
final class CdcSourceKind implements SourceKind<CdcProperties> {

    static final String NAME = "cdc";

    private final MeterRegistry registry;

    CdcSourceKind(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<CdcProperties> propertiesType() {
        return CdcProperties.class;
    }

    /** The configured entities, or else those {@code tables} names; one of the two is required. */
    @Override
    public List<String> entities(String sourceId, CdcProperties properties, List<String> configured) {
        if (!configured.isEmpty()) {
            return configured;
        }
        if (properties.tables().isEmpty()) {
            throw new IllegalArgumentException("Source " + sourceId + " of kind cdc needs tributary.poller.sources[].entities"
                    + " (each read from table public.<entity>) or .tables.<entity>.name");
        }
        return List.copyOf(new java.util.TreeSet<>(properties.tables().keySet()));
    }

    @Override
    public SourceTask createTask(SourcePartition partition, CdcProperties properties) {
        Counter rejected = Counter.builder("tributary.poller.records.rejected")
                .tags("source", partition.sourceId(), "entity", partition.entity())
                .description("Records that could not be normalized and were skipped")
                .register(registry);
        CdcRecordMapper mapper = new CdcRecordMapper(partition, properties.table(partition.entity()), InstantSource.system());
        Timer lag = Timer.builder("tributary.poller.cdc.lag")
                .tags("source", partition.sourceId(), "entity", partition.entity())
                .description("From the source's commit of a batch's latest change to Kafka's acknowledgement of it")
                .register(registry);
        return new CdcTask(partition, properties, mapper, rejected, lag);
    }
}
