package io.tributary.writer.tombstone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.tributary.writer.entity.EntityCatalog;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TombstonePropertiesTest {

    @Test
    void retentionIntervalAndBatchSizeAreBounded() {
        assertThat(new TombstoneProperties(Duration.ofDays(7), Duration.ofHours(1), 1000).retention()).hasDays(7);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TombstoneProperties(Duration.ofSeconds(30), Duration.ofHours(1), 1000))
                .withMessageContaining("tributary.writer.tombstones.retention");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TombstoneProperties(Duration.ofDays(7), Duration.ofMillis(10), 1000))
                .withMessageContaining("tributary.writer.tombstones.purge-interval");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new TombstoneProperties(Duration.ofDays(7), Duration.ofHours(1), 0))
                .withMessageContaining("tributary.writer.tombstones.batch-size");
    }

    @Test
    void aRowIsPurgedOnlyWhenNoReferenceOfAnyEntityPointsAtIt() {
        EntityCatalog catalog = EntityCatalog.forum();

        assertThat(TombstonePurger.purgeStatement(catalog.get("users"), catalog)).isEqualTo(
                "DELETE FROM users WHERE id IN (SELECT t.id FROM users t WHERE t.deleted = 1 AND t.synced_at < ?"
                        + " AND NOT EXISTS (SELECT 1 FROM topics c0 WHERE c0.user_id = t.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM messages c1 WHERE c1.user_id = t.id) ORDER BY t.id LIMIT ?)");
        assertThat(TombstonePurger.purgeStatement(catalog.get("messages"), catalog))
                .contains("NOT EXISTS (SELECT 1 FROM messages c0 WHERE c0.parent_id = t.id)");
    }
}
