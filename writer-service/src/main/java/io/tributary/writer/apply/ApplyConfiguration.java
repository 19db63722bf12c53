package io.tributary.writer.apply;

import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.CurrentCatalog;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ApplyConfiguration {

    /** One per process: the applier and delivery's write-backs stamp {@code synced_at} from it (decision 0024). */
    @Bean
    SyncedAtStamps writerSyncedAtStamps() {
        return new SyncedAtStamps(Clock.systemUTC());
    }

    @Bean
    BatchApplier writerBatchApplier(WriterDatabase database, CurrentCatalog catalog, SyncedAtStamps stamps) {
        return new BatchApplier(database, catalog, stamps);
    }
}
