package io.tributary.writer.dialect;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The main database.
 *
 * @param dialect     which {@link Dialect} to use: {@code sqlite} (the only one so far)
 * @param path        SQLite database file; parent directories are created
 * @param busyTimeout how long SQLite waits for a lock held by another process before SQLITE_BUSY
 */
@ConfigurationProperties("tributary.writer.database")
@Validated
public record WriterDatabaseProperties(
        @DefaultValue("sqlite") @NotBlank String dialect,
        @DefaultValue("./data/tributary.db") @NotNull Path path,
        @DefaultValue("5s") @NotNull Duration busyTimeout) {

    public WriterDatabaseProperties {
        if (busyTimeout != null && (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("tributary.writer.database.busy-timeout must be between 0 and "
                    + Integer.MAX_VALUE + " ms, was " + busyTimeout);
        }
    }
}
