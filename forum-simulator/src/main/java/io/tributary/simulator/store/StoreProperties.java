package io.tributary.simulator.store;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the simulator keeps its forum.
 *
 * @param database the simulator's own SQLite file ({@code forum-simulator.database}); parent directories
 *     are created
 */
@Validated
@ConfigurationProperties("forum-simulator")
record StoreProperties(@DefaultValue("./data/forum-simulator.db") Path database) {
}
