package io.tributary.writer.tombstone;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.runtime.schedule.PeriodicTask;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.CurrentCatalog;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TombstoneProperties.class)
class TombstoneConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TombstoneConfiguration.class);

    @Bean
    TombstonePurgeSchedule writerTombstonePurge(WriterDatabase database, CurrentCatalog catalog,
            TombstoneProperties properties, MeterRegistry registry) {
        TombstonePurgeSchedule schedule = new TombstonePurgeSchedule(new TombstonePurger(database, catalog,
                properties.batchSize()), properties, catalog.get(), registry, Clock.systemUTC());
        catalog.onReplace(schedule::track);
        return schedule;
    }

    @Bean
    PeriodicTask writerTombstonePurgeTask(TombstonePurgeSchedule writerTombstonePurge, TombstoneProperties properties) {
        LOG.info("Tombstone retention: {}", properties);
        return new PeriodicTask("writer-tombstone-purge", properties.purgeInterval(), properties.purgeInterval(),
                writerTombstonePurge::purge);
    }
}
