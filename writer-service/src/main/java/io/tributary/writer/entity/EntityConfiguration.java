package io.tributary.writer.entity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The entity catalog the writer applies: the forum's, for now. */
@Configuration(proxyBeanMethods = false)
class EntityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EntityConfiguration.class);

    @Bean
    EntityCatalog writerEntityCatalog() {
        EntityCatalog catalog = EntityCatalog.forum();
        LOG.info("Writer entities (apply order): {}", catalog.definitions().stream().map(EntityDefinition::name).toList());
        return catalog;
    }
}
