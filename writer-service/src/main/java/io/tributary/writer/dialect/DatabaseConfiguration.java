package io.tributary.writer.dialect;

import io.tributary.writer.dialect.postgres.PostgresDialect;
import io.tributary.writer.dialect.sqlite.SqliteDialect;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The main database: every {@link Dialect} bean is a candidate, {@code tributary.writer.database.dialect}
 * picks one, and the schema is migrated before anything else uses the data source.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WriterDatabaseProperties.class)
class DatabaseConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @Bean
    SqliteDialect sqliteDialect() {
        return new SqliteDialect();
    }

    @Bean
    PostgresDialect postgresDialect() {
        return new PostgresDialect();
    }

    @Bean
    WriterDatabase writerDatabase(WriterDatabaseProperties properties, List<Dialect> dialects) {
        LOG.info("Writer database: {}", properties);
        return WriterDatabase.open(properties, dialects);
    }

    /** Exposed for Spring Boot's health indicator and pool metrics; closed with {@link WriterDatabase}. */
    @Bean(destroyMethod = "")
    DataSource writerDataSource(WriterDatabase database) {
        return database.dataSource();
    }
}
