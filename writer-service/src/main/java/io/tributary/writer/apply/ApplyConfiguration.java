package io.tributary.writer.apply;

import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.CurrentCatalog;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ApplyConfiguration {

    @Bean
    BatchApplier writerBatchApplier(WriterDatabase database, CurrentCatalog catalog) {
        return new BatchApplier(database, catalog, Clock.systemUTC());
    }
}
