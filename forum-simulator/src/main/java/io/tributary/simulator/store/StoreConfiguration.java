package io.tributary.simulator.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StoreConfiguration.class);

    @Bean(destroyMethod = "close")
    SqliteDatabase sqliteDatabase(StoreProperties properties) {
        log.info("Store configuration: {}", properties);
        return SqliteDatabase.open(properties.database());
    }

    /** {@code db} (the bean name minus "HealthIndicator"), the readiness group's member (forum-simulator.yml). */
    @Bean
    DatabaseHealthIndicator dbHealthIndicator(SqliteDatabase db) {
        return new DatabaseHealthIndicator(db);
    }

    @Bean
    ForumStore forumStore(SqliteDatabase db) {
        return new ForumStore(db);
    }
}
