package io.tributary.writer.schema;

import io.tributary.writer.dialect.WriterDatabase;
import io.tributary.writer.entity.ConfiguredEntitiesProperties;
import java.sql.SQLException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SchemaConfiguration {

    /** Evolved at start, before any listener container starts consuming (containers start after singletons). */
    @Bean
    EntityTables.Changes configuredEntityTables(WriterDatabase database, ConfiguredEntitiesProperties configured)
            throws SQLException {
        return new EntityTables(database.dataSource(), database.dialect()).evolve(configured.definitions(),
                configured.twoWayEntities());
    }
}
