package io.tributary.writer.tombstone;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.EntityCatalog;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TombstoneProperties.class)
class TombstoneConfiguration {

    @Bean
    TombstonePurgeSchedule writerTombstonePurge(WriterDatabase database, EntityCatalog catalog,
            TombstoneProperties properties, MeterRegistry registry) {
        return new TombstonePurgeSchedule(new TombstonePurger(database, catalog, properties.batchSize()), properties,
                catalog, registry, Clock.systemUTC());
    }
}
