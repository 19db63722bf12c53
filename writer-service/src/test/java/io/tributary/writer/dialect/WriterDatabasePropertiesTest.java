package io.tributary.writer.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class WriterDatabasePropertiesTest {

    @Test
    void defaultsToSqliteInTheDataDirectory() {
        WriterDatabaseProperties properties = bind(Map.of());

        assertThat(properties.dialect()).isEqualTo("sqlite");
        assertThat(properties.path()).isNotNull();
        assertThat(properties.path().normalize()).isEqualTo(Path.of("data/tributary.db"));
        assertThat(properties.poolSize()).isEqualTo(4);
        assertThat(properties.cacheSize()).isEqualTo(org.springframework.util.unit.DataSize.ofMegabytes(128));
        assertThatThrownBy(() -> bind(Map.of("tributary.writer.database.cache-size", "0KB")))
                .rootCause().hasMessageContaining("tributary.writer.database.cache-size must be between 1KB");
    }

    @Test
    void postgresqlBindsAndNeverPrintsThePassword() {
        WriterDatabaseProperties properties = bind(Map.of("tributary.writer.database.dialect", "postgresql",
                "tributary.writer.database.url", "jdbc:postgresql://db:5432/main",
                "tributary.writer.database.username", "writer",
                "tributary.writer.database.password", "s3cret!"));

        assertThat(properties.password()).isEqualTo("s3cret!");
        assertThat(properties.toString()).contains("url=jdbc:postgresql://db:5432/main", "username=writer",
                "password=******").doesNotContain("s3cret");
        assertThat(WriterDatabaseProperties.postgresql("jdbc:postgresql://db/main?user=w&password=p4ss&ssl=true", null,
                null, 2).toString()).contains("password=******&ssl=true").doesNotContain("p4ss");
    }

    @Test
    void eachDialectNeedsItsOwnSettingsNamedInTheError() {
        assertThatThrownBy(() -> bind(Map.of("tributary.writer.database.dialect", "postgresql")))
                .rootCause().hasMessageContaining("tributary.writer.database.url must be a jdbc:postgresql: URL");
        assertThatThrownBy(() -> bind(Map.of("tributary.writer.database.dialect", "postgresql",
                "tributary.writer.database.url", "jdbc:sqlite:/tmp/x.db")))
                .rootCause().hasMessageContaining("tributary.writer.database.url");
        assertThatThrownBy(() -> bind(Map.of("tributary.writer.database.dialect", "postgresql",
                "tributary.writer.database.url", "jdbc:postgresql://db/main", "tributary.writer.database.pool-size", "1")))
                .rootCause().hasMessageContaining("tributary.writer.database.pool-size must be at least 2");
        assertThatThrownBy(() -> new WriterDatabaseProperties("sqlite", null, Duration.ZERO, null, null, null, 1,
                WriterDatabaseProperties.DEFAULT_CACHE_SIZE))
                .hasMessageContaining("tributary.writer.database.path must be set");
    }

    private static WriterDatabaseProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("tributary.writer.database", WriterDatabaseProperties.class);
    }
}
