package io.tributary.writer.entity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The entity catalog the writer applies: the forum's four built-in entities (their tables come from the
 * Flyway migrations), then those configured in {@code tributary.writer.entities} (tables created or
 * evolved by {@code io.tributary.writer.schema}), and, when the writer follows the config topic, the targets of
 * the source definitions stored there ({@code io.tributary.writer.live}, which replaces the catalog as it learns).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConfiguredEntitiesProperties.class)
class EntityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EntityConfiguration.class);

    @Bean
    CurrentCatalog writerCatalog(ConfiguredEntitiesProperties configured) {
        EntityCatalog catalog = EntityCatalog.forum().with(configured.definitions());
        LOG.info("Writer entities (apply order): {}", catalog.names());
        return new CurrentCatalog(catalog);
    }
}
