package io.tributary.poller.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConfigTopicPropertiesTest {

    private static ConfigTopicProperties shard(int shard, int shards) {
        return new ConfigTopicProperties(true, "tributary.config.sources", Path.of("live"), Duration.ofSeconds(2),
                shards, shard, "TRIBUTARY_SECRET_", Path.of("/run/secrets/tributary"));
    }

    @Test
    void everySourceRunsOnExactlyOneShardAndTheShardsShareThemAll() {
        Map<Integer, Integer> perShard = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            String source = "source-" + i;
            int[] owners = IntStream.range(0, 3).filter(s -> shard(s, 3).owns(source)).toArray();
            assertThat(owners).as(source).hasSize(1);
            perShard.merge(owners[0], 1, Integer::sum);
        }
        assertThat(perShard.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1_200));
        assertThat(shard(0, 1).owns("anything")).isTrue();
    }

    @Test
    void aShardOutsideTheCountIsRefusedNamingBoth() {
        assertThatThrownBy(() -> shard(3, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tributary.poller.config-topic.shard").hasMessageContaining("shard 3 of 3");
        assertThatThrownBy(() -> shard(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSecretsRootsMustBeUsable() {
        assertThatThrownBy(() -> new ConfigTopicProperties(true, "t", Path.of("live"), Duration.ofSeconds(2), 1, 0,
                "TRIBUTARY_SECRET_", Path.of("relative/secrets"))).hasMessageContaining("secrets-*").hasMessageContaining("absolute");
        assertThatThrownBy(() -> new ConfigTopicProperties(true, "t", Path.of("live"), Duration.ofSeconds(2), 1, 0,
                "NOT A PREFIX", Path.of("/s"))).hasMessageContaining("prefix");
    }
}
